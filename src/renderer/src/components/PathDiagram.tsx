import type { NatResult } from '../../../shared/nat'
import type { PathView } from '../model/verdict'
import type { NatSummary } from '../model/liveSession'
import { natShort } from '../model/glossary'

const X = { a: 50, natA: 170, net: 300, natB: 430, b: 550 }

function natLabel(nat: NatResult | NatSummary | undefined): string {
  if (!nat) return 'not measured'
  return nat.mapping === 'none' ? 'no NAT' : natShort(nat.classic)
}

/**
 * peer, NAT, internet, NAT, peer, with the path the session used drawn over it; two peers and one
 * line when both ends are on the same network (no NAT on the path); the relay above the line only
 * when there is one, with a cross where the direct attempt failed.
 */
export function PathDiagram({ view, natLocal, natRemote, localName, remoteName }: { view: PathView; natLocal?: NatResult | NatSummary; natRemote?: NatResult | NatSummary; localName: string; remoteName: string }): React.JSX.Element {
  const relay = view.kind === 'relay'
  // The relay sits above the line; without one the band above is not drawn at all.
  const top = relay ? 0 : 60
  const Y = 110
  const path = relay ? `M${X.a} ${Y} L${X.natA} ${Y} L${X.net} 34 L${X.natB} ${Y} L${X.b} ${Y}` : `M${X.a} ${Y} L${X.b} ${Y}`
  const label = view.kind === 'none' ? 'no path yet' : relay ? `relayed via TURN ${view.relay}` : view.kind === 'tunnel' ? 'through a VPN tunnel' : view.sameNetwork ? 'direct path on the same network (no NAT between)' : 'direct path'
  return (
    <section className="card path" aria-label="Path diagram" data-testid="path">
      <h3>Path</h3>
      <svg viewBox={`0 ${top} 600 ${180 - top}`} role="img" aria-label={`${localName} to ${remoteName}: ${label}`}>
        <line className={`base ${relay ? 'broken' : ''}`} x1={X.a} y1={Y} x2={X.b} y2={Y} />
        {view.kind !== 'none' ? <path className={`route ${relay ? 'relay' : view.kind === 'tunnel' ? 'tunnel' : 'direct'}`} d={path} /> : null}
        {relay ? (
          <g>
            <rect className="node relay-node" x={X.net - 48} y={14} width={96} height={36} rx={6} />
            <text x={X.net} y={37} textAnchor="middle">TURN relay</text>
            <g className="fail-mark" data-testid="direct-failed">
              <title>{`direct attempt failed: ${view.directFailed ?? ''}`}</title>
              <path d={`M${X.net + 70} ${Y - 10} l20 20 M${X.net + 90} ${Y - 10} l-20 20`} />
              <text className="sub" x={X.net + 80} y={Y + 30} textAnchor="middle">direct failed</text>
            </g>
          </g>
        ) : null}
        <g>
          <circle className="node" cx={X.a} cy={Y} r={14} />
          <text className="peer-name" x={X.a} y={Y + 34} textAnchor="middle">{localName}</text>
          {view.sameNetwork ? null : (
            <>
              <rect className="node nat-node" x={X.natA - 30} y={Y - 16} width={60} height={32} rx={4} />
              <text x={X.natA} y={Y + 5} textAnchor="middle">NAT</text>
              <text className="sub" x={X.natA} y={Y + 36} textAnchor="middle">{natLabel(natLocal)}</text>
              <ellipse className="node cloud" cx={X.net} cy={Y} rx={56} ry={24} />
              <text x={X.net} y={Y + 5} textAnchor="middle">internet</text>
              <rect className="node nat-node" x={X.natB - 30} y={Y - 16} width={60} height={32} rx={4} />
              <text x={X.natB} y={Y + 5} textAnchor="middle">NAT</text>
              <text className="sub" x={X.natB} y={Y + 36} textAnchor="middle">{natLabel(natRemote)}</text>
            </>
          )}
          <circle className="node" cx={X.b} cy={Y} r={14} />
          <text className="peer-name" x={X.b} y={Y + 34} textAnchor="middle">{remoteName}</text>
        </g>
      </svg>
      <div className="small-text center">
        <strong>{label}</strong>
        {view.kind !== 'none' ? (
          <div className="mono">
            {view.local} ↔ {view.remote}
          </div>
        ) : null}
        {view.directFailed ? <div className="small-text">direct attempt: {view.directFailed}</div> : null}
      </div>
    </section>
  )
}
