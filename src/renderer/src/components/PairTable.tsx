import { useState } from 'react'
import type { PairInfo, SelectedPair } from '../../../shared/session'
import { pairDetail, pairRows, type PairRow } from '../model/candidates'
import { DataTable } from './DataTable'

function Detail({ row, onClose }: { row: PairRow; onClose: () => void }): React.JSX.Element {
  const d = pairDetail(row)
  return (
    <div className="pair-detail" role="region" aria-label="Pair details" data-testid="pair-detail">
      <div className="row spread">
        <strong className="mono">{d.title}</strong>
        <button type="button" className="small" onClick={onClose} aria-label="Close pair details">
          ×
        </button>
      </div>
      <dl className="facts">
        {d.facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <ol className="pair-history" aria-label="State history">
        {d.history.map((h, i) => (
          <li key={i}>
            <span className="mono">{h.at}</span> <span className={`tag state-${h.state}`}>{h.state}</span>
          </li>
        ))}
      </ol>
    </div>
  )
}

export function PairTable({ pairs, selected, theirPairs = [] }: { pairs: PairInfo[]; selected: SelectedPair | null; theirPairs?: PairInfo[] }): React.JSX.Element {
  const rows = pairRows(pairs, selected, theirPairs)
  const [open, setOpen] = useState<string | undefined>(undefined)
  const openRow = rows.find((r) => r.key === open)
  const toggle = (key: string): void => setOpen((k) => (k === key ? undefined : key))
  return (
    <section className="card" aria-label="Candidate pairs" data-testid="pairs">
      <h3>
        Candidate pairs <span className="muted">({pairs.length}; click or press Enter on a pair for its history)</span>
      </h3>
      <DataTable columns={[{ label: 'attempt', num: true }, { label: 'local' }, { label: 'remote' }, { label: 'state' }, { label: 'RTT', num: true }, { label: 'checks sent/answered', num: true }, { label: 'their checks', num: true }]} empty={rows.length ? undefined : 'no pairs yet: they appear once both sides have candidates'}>
        {rows.map((r) => (
          <tr
            key={r.key}
            className={`pair-row ${r.selected ? 'selected' : ''} ${open === r.key ? 'open' : ''}`}
            aria-selected={r.selected}
            aria-expanded={open === r.key}
            tabIndex={0}
            onClick={() => toggle(r.key)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault()
                toggle(r.key)
              }
            }}
            data-testid="pair-row"
          >
            <td className="num">{r.attempt}</td>
            <td className="mono">{r.local}</td>
            <td className="mono">{r.remote}</td>
            <td>
              <span className={`tag ${r.unchecked ? 'state-unchecked' : `state-${r.state}`}`}>{r.stateText}</span>
              {r.nominated ? <span className="tag nominated">nominated</span> : null}
              {r.selected ? <span className="tag selected-tag">selected</span> : null}
              {r.why ? <div className="small-text pair-why">{r.why}</div> : null}
            </td>
            <td className="num">{r.rtt}</td>
            <td className="num">{r.checks}</td>
            <td className="num">{r.theirChecks || '-'}</td>
          </tr>
        ))}
      </DataTable>
      {openRow ? <Detail row={openRow} onClose={() => setOpen(undefined)} /> : null}
    </section>
  )
}
