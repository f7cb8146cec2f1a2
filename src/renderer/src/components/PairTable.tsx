import type { PairInfo, SelectedPair } from '../../../shared/session'
import { pairRows } from '../model/candidates'

export function PairTable({ pairs, selected }: { pairs: PairInfo[]; selected: SelectedPair | null }): React.JSX.Element {
  const rows = pairRows(pairs, selected)
  return (
    <section className="card" aria-label="Candidate pairs" data-testid="pairs">
      <h3>
        Candidate pairs <span className="muted">({pairs.length})</span>
      </h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="scrollable table">
        <table>
          <thead>
            <tr>
              <th>local</th>
              <th>remote</th>
              <th>state</th>
              <th className="num">RTT</th>
              <th className="num">checks sent/answered</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.selected ? 'selected' : ''} aria-selected={r.selected}>
                <td className="mono">{r.local}</td>
                <td className="mono">{r.remote}</td>
                <td>
                  <span className={`tag state-${r.state}`}>{r.state}</span>
                  {r.nominated ? <span className="tag nominated">nominated</span> : null}
                  {r.selected ? <span className="tag selected-tag">selected</span> : null}
                </td>
                <td className="num">{r.rtt}</td>
                <td className="num">{r.checks}</td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  no pairs yet: they appear once both sides have candidates
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  )
}
