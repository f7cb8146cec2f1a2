// Two reports side by side: before and after a firewall or VPN change (src/shared/diagnosis/compare.ts,
// the rule `peerlens show A --compare B` prints too).
import { useMemo } from 'react'
import { useApp } from '../store/context'
import { compareReports, SECTION_TITLES, type CompareRow } from '../../../shared/diagnosis/compare'
import { CHANGE_WORDS, FINDING_WORDS } from '../../../shared/format/compare'
import { entryLabel } from '../model/history'
import { DataTable } from '../components/DataTable'

function SlotPicker({ which }: { which: 'before' | 'after' }): React.JSX.Element {
  const entries = useApp((s) => s.history.entries)
  const slot = useApp((s) => s.compare[which])
  const pick = useApp((s) => s.pickCompare)
  return (
    <div className="card compare-slot" data-testid={`slot-${which}`}>
      <h3>{which === 'before' ? 'Before' : 'After'}</h3>
      <p className="small-text mono slot-label">{slot ? slot.label : 'no report chosen'}</p>
      <div className="row wrap">
        <select aria-label={`${which}: a past session`} value="" onChange={(e) => e.target.value && void pick(which, e.target.value)}>
          <option value="">a past session…</option>
          {entries.map((e) => (
            <option key={e.id} value={e.id}>
              {entryLabel(e)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void pick(which, 'file')}>
          Open file…
        </button>
      </div>
    </div>
  )
}

export function Compare(): React.JSX.Element {
  const { before, after, error } = useApp((s) => s.compare)
  const swap = useApp((s) => s.swapCompare)
  const c = useMemo(() => (before && after ? compareReports(before.report, after.report) : undefined), [before, after])
  const sections = useMemo(() => {
    const out = new Map<CompareRow['section'], CompareRow[]>()
    for (const r of c?.rows ?? []) out.set(r.section, [...(out.get(r.section) ?? []), r])
    return [...out]
  }, [c])
  return (
    <div className="compare-screen">
      <div className="row spread wrap">
        <h2>Compare two reports</h2>
        <button type="button" onClick={swap} disabled={!before && !after}>
          Swap before and after
        </button>
      </div>
      <p className="muted">Before and after a change (a firewall rule, a VPN switched off): pick two past sessions or report files.</p>
      <div className="two-col">
        <SlotPicker which="before" />
        <SlotPicker which="after" />
      </div>
      {error ? (
        <p className="error-text" role="alert" data-testid="compare-error">
          {error}
        </p>
      ) : null}
      {c ? (
        <div data-testid="comparison">
          <div className={`verdict tone-${c.change === 'better' ? 'direct' : c.change === 'worse' ? 'failed' : 'pending'} compare-headline`} data-testid="compare-headline">
            <div className="verdict-title">{c.headline}</div>
            <div className="small-text muted">
              before: {c.before.createdAt} ({c.before.peers}); after: {c.after.createdAt} ({c.after.peers})
            </div>
          </div>
          <div className="compare-grid">
            {sections.map(([section, rows]) => (
              <section className="card" key={section} aria-label={SECTION_TITLES[section]}>
                <h3>{SECTION_TITLES[section]}</h3>
                <DataTable columns={[{ label: '' }, { label: 'before' }, { label: 'after' }, { label: 'change' }]}>
                  {rows.map((r) => (
                    <tr key={r.label} className={`change-${r.change}`} data-testid="compare-row">
                      <th scope="row">{r.label}</th>
                      <td>{r.before}</td>
                      <td>{r.after}</td>
                      <td>{r.change === 'same' ? <span className="muted">same</span> : <span className={`tag change-tag change-${r.change}`}>{CHANGE_WORDS[r.change]}</span>}</td>
                    </tr>
                  ))}
                </DataTable>
              </section>
            ))}
          </div>
          <section className="card" aria-label="Findings compared" data-testid="compare-findings">
            <h3>Findings</h3>
            {c.findings.length ? (
              <ul className="checks">
                {c.findings.map((f) => (
                  <li key={`${f.status}-${f.text}`} className={`finding finding-${f.status}`}>
                    <span className={`tag finding-tag finding-${f.status}`}>{FINDING_WORDS[f.status]}</span> {f.text}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">None in either report.</p>
            )}
          </section>
        </div>
      ) : (
        <p className="muted">Choose a report for each side to compare them.</p>
      )}
    </div>
  )
}
