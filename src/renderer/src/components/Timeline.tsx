import type { RunEvent } from '../../../shared/run'
import { timelineRows } from '../model/timeline'

export function Timeline({ events }: { events: RunEvent[] }): React.JSX.Element {
  const rows = timelineRows(events)
  return (
    <section className="card" aria-label="Timeline" data-testid="timeline" id="card-timeline">
      <h3>
        Timeline <span className="muted">({events.length} events)</span>
      </h3>
      <ol className="timeline" tabIndex={0} aria-label="Session events">
        {rows.map((r) => (
          <li key={r.key} className={`tl-${r.tone}`}>
            <span className="mono muted">{r.at}</span> {r.text}
          </li>
        ))}
      </ol>
    </section>
  )
}
