import type { FailureView } from '../model/failure'
import { useApp } from '../store/context'

/** The whole screen for a session that ended without a report: what failed, Retry and Back. */
export function FailurePanel({ view }: { view: FailureView }): React.JSX.Element {
  const retry = useApp((s) => s.retry)
  const go = useApp((s) => s.go)
  const busy = useApp((s) => s.busy)
  return (
    <section className={`card failure tone-${view.tone}`} role={view.tone === 'failed' ? 'alert' : 'status'} data-testid="failure">
      <h2>{view.title}</h2>
      <p className="failure-text">{view.text}</p>
      <p className="muted">What to do: {view.hint}.</p>
      <div className="row wrap">
        <button type="button" className="primary" disabled={busy} onClick={() => void retry()}>
          Retry
        </button>
        <button type="button" onClick={() => go('home')}>
          Back
        </button>
      </div>
    </section>
  )
}
