import type { NatResult } from '../../../shared/nat'
import type { NatState } from '../model/nat'
import type { NatSummary } from '../model/liveSession'
import { natCardView } from '../model/nat'

/** `pending`: the session is still running, so a missing result may yet come. */
export function NatCard({ title, result, state, pending = false }: { title: string; result: NatResult | NatSummary | undefined; state?: NatState; pending?: boolean }): React.JSX.Element {
  const v = !result && pending && state?.status !== 'running' ? { title: 'Measuring…', status: 'NAT discovery runs beside the connection', rows: [], reason: '' } : natCardView(result, state)
  const measured = Boolean(result)
  return (
    <section className={`card nat ${measured ? '' : 'unmeasured'}`} aria-label={`NAT ${title}`} data-testid={`nat-${title}`}>
      <h3>{title}</h3>
      <div className="nat-title">{v.title}</div>
      <div className="muted small-text">{v.status}</div>
      {(state?.status === 'running' || pending) && !result ? <progress aria-label="NAT discovery progress" /> : null}
      {v.rows.length ? (
        <dl>
          {v.rows.map((r) => (
            <div key={r.label}>
              <dt>{r.label}</dt>
              <dd>{r.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {v.reason ? <p className="small-text">{v.reason}</p> : null}
    </section>
  )
}
