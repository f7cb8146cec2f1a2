import { useState } from 'react'
import { useApp } from '../store/context'
import { historyRows } from '../model/history'
import { DataTable } from './DataTable'

/** Home's list of past sessions: open one, compare two, host again, forget. */
export function PastSessions(): React.JSX.Element {
  const history = useApp((s) => s.history)
  const openPast = useApp((s) => s.openPast)
  const forgetPast = useApp((s) => s.forgetPast)
  const hostAgain = useApp((s) => s.hostAgain)
  const compareEntries = useApp((s) => s.compareEntries)
  const go = useApp((s) => s.go)
  const busy = useApp((s) => s.busy)
  const [picked, setPicked] = useState<string[]>([])
  const rows = historyRows(history.entries)
  const toggle = (id: string): void => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]))
  return (
    <section className="card past" aria-labelledby="past-title" data-testid="history">
      <div className="row spread wrap">
        <h2 id="past-title">
          Past sessions <span className="muted">({rows.length})</span>
        </h2>
        <div className="row wrap">
          <button type="button" disabled={picked.length !== 2} onClick={() => void compareEntries(picked[0]!, picked[1]!)} data-testid="compare-picked">
            Compare the two ticked
          </button>
          <button type="button" onClick={() => go('compare')}>
            Compare reports…
          </button>
        </div>
      </div>
      {history.problem ? (
        <p className="error-text small-text" role="alert">
          {history.problem}
        </p>
      ) : null}
      <DataTable columns={[{ label: 'compare' }, { label: 'when' }, { label: 'verdict' }, { label: 'other side' }, { label: 'this side’s networks' }, { label: '' }]} empty={rows.length ? undefined : 'none yet: every finished session is kept here (the last 50), in this app’s data folder'}>
        {rows.map((r) => (
          <tr key={r.id} data-testid="history-row">
            <td>
              <input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`compare the session of ${r.when}`} />
            </td>
            <td className="nowrap">{r.when}</td>
            <td>
              <span className={`tag verdict-tag tone-${r.tone}`}>{r.verdict}</span>
            </td>
            <td>
              {r.peer} <span className="muted small-text">(you were the {r.role})</span>
            </td>
            <td className="mono small-text">{r.networks}</td>
            <td>
              <div className="row wrap">
                <button type="button" className="small" onClick={() => void openPast(r.id)} data-testid="history-open">
                  Open
                </button>
                {r.again.kind === 'host' ? (
                  <button type="button" className="small" title={r.again.note} disabled={busy} onClick={() => void hostAgain(history.entries.find((e) => e.id === r.id)!)} data-testid="history-again">
                    {r.again.label}
                  </button>
                ) : null}
                <button type="button" className="small" onClick={() => void forgetPast(r.id)} aria-label={`forget the session of ${r.when}`}>
                  Forget
                </button>
              </div>
              <div className="muted small-text again-note">{r.again.note}</div>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
