import type { PairInfo, SelectedPair } from '../../../shared/session'
import { pairRows } from '../model/candidates'
import { DataTable } from './DataTable'

export function PairTable({ pairs, selected }: { pairs: PairInfo[]; selected: SelectedPair | null }): React.JSX.Element {
  const rows = pairRows(pairs, selected)
  return (
    <section className="card" aria-label="Candidate pairs" data-testid="pairs">
      <h3>
        Candidate pairs <span className="muted">({pairs.length})</span>
      </h3>
      <DataTable columns={[{ label: 'attempt', num: true }, { label: 'local' }, { label: 'remote' }, { label: 'state' }, { label: 'RTT', num: true }, { label: 'checks sent/answered', num: true }]} empty={rows.length ? undefined : 'no pairs yet: they appear once both sides have candidates'}>
        {rows.map((r) => (
          <tr key={r.key} className={r.selected ? 'selected' : ''} aria-selected={r.selected}>
            <td className="num">{r.attempt}</td>
            <td className="mono">{r.local}</td>
            <td className="mono">{r.remote}</td>
            <td>
              <span className={`tag ${r.unchecked ? 'state-unchecked' : `state-${r.state}`}`}>{r.stateText}</span>
              {r.nominated ? <span className="tag nominated">nominated</span> : null}
              {r.selected ? <span className="tag selected-tag">selected</span> : null}
            </td>
            <td className="num">{r.rtt}</td>
            <td className="num">{r.checks}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
