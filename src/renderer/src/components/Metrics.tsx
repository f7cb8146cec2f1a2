import { sparklinePath, type MetricCard } from '../model/metrics'
import { useApp } from '../store/context'

const W = 120
const H = 28

export function Sparkline({ series, label }: { series: Array<number | null>; label: string }): React.JSX.Element | null {
  const d = sparklinePath(series, W, H)
  if (!d) return null
  return (
    <svg className="spark" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${label} over ${series.length} samples`}>
      <path d={d} />
    </svg>
  )
}

export function Bars({ bars, label }: { bars: MetricCard['bars']; label: string }): React.JSX.Element | null {
  if (bars.length === 0) return null
  const max = Math.max(...bars.map((b) => b.value)) || 1
  const row = 12
  return (
    <svg className="bars" viewBox={`0 0 ${W} ${row * bars.length}`} width={W} height={row * bars.length} role="img" aria-label={`${label}: ${bars.map((b) => b.label).join(', ')}`}>
      {bars.map((b, i) => (
        <g key={b.label}>
          <title>{b.label}</title>
          <rect className={`bar bar-${i}`} x={0} y={i * row + 2} width={Math.max(2, (b.value / max) * W)} height={row - 4} rx={2} />
        </g>
      ))}
    </svg>
  )
}

export function Metrics({ cards }: { cards: MetricCard[] }): React.JSX.Element {
  const go = useApp((s) => s.go)
  return (
    <section className="card" aria-label="Path metrics" data-testid="metrics" id="card-metrics">
      <h3>Path metrics</h3>
      <div className="metrics">
        {cards.map((c) => (
          <div key={c.label} className={`metric ${c.value === 'not measured' || c.value === 'off' ? 'unmeasured' : ''}`} data-testid={`metric-${c.label}`}>
            <div className="muted small-text">{c.label}</div>
            <div className="metric-value">{c.value.replace(/(\d) (?=[a-zA-Z%])/g, '$1\u00a0')}</div>
            <Sparkline series={c.series} label={c.label} />
            <Bars bars={c.bars} label={c.label} />
            {c.detail ? <div className="muted small-text">{c.detail}</div> : null}
            {(c.more ?? []).map((line) => (
              <div key={line} className="muted small-text">
                {line}
              </div>
            ))}
            {c.action === 'settings' ? (
              <button type="button" className="small" onClick={() => go('settings')}>
                Open Settings
              </button>
            ) : null}
          </div>
        ))}
      </div>
    </section>
  )
}
