import { useState } from 'react'
import type { CandidateInfo, CandidateType } from '../../../shared/session'
import { CANDIDATE_TYPES, TYPE_NAMES, candidateCounts, candidateRows } from '../model/candidates'
import { DataTable } from './DataTable'

/** onCopy: copies a candidate as host:port or as its a=candidate line (the dashboard passes the store's copy). */
export function CandidateTable({ title, candidates, onCopy }: { title: string; candidates: CandidateInfo[]; onCopy?: (text: string, what: string) => void }): React.JSX.Element {
  const [shown, setShown] = useState<Set<CandidateType>>(() => new Set(CANDIDATE_TYPES))
  const counts = candidateCounts(candidates)
  const rows = candidateRows(candidates, shown)
  const toggle = (t: CandidateType): void => {
    const next = new Set(shown)
    if (next.has(t)) next.delete(t)
    else next.add(t)
    setShown(next)
  }
  return (
    <section className="card" aria-label={title} data-testid={`candidates-${title.split(' ')[0]!.toLowerCase()}`}>
      <div className="row spread wrap">
        <h3>
          {title} <span className="muted">({candidates.length})</span>
        </h3>
        <div className="chips" role="group" aria-label={`Filter ${title} by type`}>
          {CANDIDATE_TYPES.map((t) => (
            <button key={t} type="button" className={`chip type-${t}`} aria-pressed={shown.has(t)} title={TYPE_NAMES[t]} onClick={() => toggle(t)}>
              {t} {counts[t]}
            </button>
          ))}
        </div>
      </div>
      <DataTable columns={[{ label: 'type' }, { label: 'proto' }, { label: 'address' }, { label: 'port' }, { label: 'found at (since start)', num: true }, { label: 'priority', num: true }, { label: 'server' }, ...(onCopy ? [{ label: 'copy' }] : [])]} empty={rows.length ? undefined : candidates.length ? 'none of the chosen types' : 'none yet'}>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>
              <span className={`tag type-${r.type}`}>{r.type}</span>
            </td>
            <td>{r.protocol}</td>
            <td className="mono" title={r.related ? `related address ${r.related}` : undefined}>
              {r.address}
            </td>
            <td className="mono">{r.port}</td>
            <td className="num">{r.at}</td>
            <td className="num mono">{r.priority}</td>
            <td className="mono">{r.server}</td>
            {onCopy ? (
            <td className="copy-cell">
              <button type="button" className="small" onClick={() => onCopy(r.endpoint, r.endpoint)} aria-label={`copy ${r.endpoint}`} data-testid="copy-endpoint">
                host:port
              </button>{' '}
              <button type="button" className="small" onClick={() => onCopy(r.sdp, 'a=candidate line')} aria-label={`copy the a=candidate line of ${r.endpoint}`} data-testid="copy-sdp">
                a=candidate
              </button>
            </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
