import { useEffect, useState } from 'react'
import { APP_SESSION_TIMEOUT_MS } from '../../../shared/ipc'
import type { LiveSession } from '../model/liveSession'
import { statusView } from '../model/steps'
import { useApp } from '../store/context'

/** The running session's steps, the active one, elapsed time and what it waits for (ticks each second). */
export function SessionStatus({ session }: { session: LiveSession }): React.JSX.Element {
  const natOnSession = useApp((s) => s.settings?.natOnSession ?? true)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [])
  const v = statusView(session, now, { natOnSession, timeoutMs: APP_SESSION_TIMEOUT_MS })
  return (
    <section className="card status" aria-label="Session status" data-testid="status">
      <div className="row wrap spread">
        <strong>
          Step {v.step} of {v.total}: {v.current}
        </strong>
        <span className="mono" data-testid="elapsed">
          {v.elapsed} elapsed <span className="muted">({v.timeout})</span>
        </span>
      </div>
      <ol className="steps">
        {v.steps.map((x) => (
          <li key={x.name} className={`step step-${x.state}`}>
            <span aria-hidden="true">{x.state === 'done' ? '✓' : x.state === 'active' ? '●' : x.state === 'skipped' ? '–' : '○'}</span> {x.name}
            {x.state === 'skipped' ? <span className="muted"> (off in Settings)</span> : null}
          </li>
        ))}
      </ol>
      <p className="small-text">
        Waiting for: <span data-testid="waiting-for">{v.waitingFor}</span>
      </p>
    </section>
  )
}
