import type { LiveSession } from '../model/liveSession'
import { findingRows } from '../model/findings'

/** The cause and the remedy first: the ranked findings right under the verdict, each linked to its evidence. */
export function Findings({ session }: { session: LiveSession }): React.JSX.Element | null {
  const rows = findingRows(session.report)
  if (!rows.length) return null
  const jump = (id: string): void => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'start' })
  return (
    <section className="card findings" aria-label="Findings" data-testid="findings">
      <h3>What to look at first, and what to do</h3>
      <ol>
        {rows.map((r) => (
          <li key={r.text} className={`finding level-${r.level}`}>
            <span className={`tag level-${r.level}`}>{r.level === 'bad' ? 'cause' : r.level === 'warn' ? 'check' : 'note'}</span> {r.text}{' '}
            <a
              href={`#${r.evidence.id}`}
              onClick={(e) => {
                e.preventDefault()
                jump(r.evidence.id)
              }}
            >
              see {r.evidence.label}
            </a>
            {r.remedy ? (
              <p className="remedy" data-testid="remedy">
                <strong>What to do:</strong> {r.remedy.action} <span className="muted">(because {r.remedy.rests})</span>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  )
}
