import type { NatResult } from '../../../shared/nat'
import type { NatState } from '../model/nat'
import { natCardView } from '../model/view'

export function NatCard({ title, result, state }: { title: string; result: NatResult | undefined; state?: NatState }): React.JSX.Element {
  const v = natCardView(result, state)
  const measured = Boolean(result)
  return (
    <section className={`card nat ${measured ? '' : 'unmeasured'}`} aria-label={`NAT ${title}`} data-testid={`nat-${title}`}>
      <h3>{title}</h3>
      <div className="nat-title">{v.title}</div>
      <div className="muted small-text">{v.status}</div>
      {state?.status === 'running' && !result ? <progress aria-label="NAT discovery progress" /> : null}
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
