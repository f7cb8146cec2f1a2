import type { NatResult } from '../../../shared/nat'
import type { NatState } from '../model/nat'
import type { NatSummary } from '../model/liveSession'
import { natCardView, type NatCardView } from '../model/nat'

/** `pending`: the session is still running, so a missing result may yet come. */
/** `off`: NAT discovery is turned off for sessions (Settings), so nothing is coming. */
export function NatCard({ title, result, state, pending = false, off = false }: { title: string; result: NatResult | NatSummary | undefined; state?: NatState; pending?: boolean; off?: boolean }): React.JSX.Element {
  const v: NatCardView =
    !result && off
      ? { title: 'Not measured', status: 'NAT discovery is off in Settings', rows: [], reason: '' }
      : !result && pending && state?.status !== 'running'
        ? { title: 'Measuring…', status: 'NAT discovery runs beside the connection', rows: [], reason: '' }
        : natCardView(result, state)
  const measuring = pending && !off
  const measured = Boolean(result)
  return (
    <section className={`card nat ${measured ? '' : 'unmeasured'}`} aria-label={`NAT ${title}`} data-testid={`nat-${title}`}>
      <h3>{title}</h3>
      <div className={`nat-title ${v.goodness ? `good-${v.goodness}` : ''}`}>{v.title}</div>
      {v.meaning ? (
        <p className={`nat-meaning good-${v.goodness ?? 'unknown'}`} data-testid="nat-meaning">
          {v.meaning}
        </p>
      ) : null}
      <div className="muted small-text">{v.status}</div>
      {(state?.status === 'running' || measuring) && !result ? <progress aria-label="NAT discovery progress" /> : null}
      {v.rows.length ? (
        <dl>
          {v.rows.map((r) => (
            <div key={r.label}>
              <dt title={r.help || undefined} className={r.help ? 'has-help' : undefined}>
                {r.label}
              </dt>
              <dd>{r.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {v.reason ? <p className="small-text">{v.reason}</p> : null}
    </section>
  )
}
