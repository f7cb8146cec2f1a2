import type { CheckRow } from '../model/checks'

const MARK = { true: '✓', false: '✗', null: '–' } as const

export function Checks({ rows }: { rows: CheckRow[] }): React.JSX.Element {
  return (
    <section className="card" aria-label="Checks" data-testid="checks" id="card-checks">
      <h3>Servers, ports and MTU</h3>
      {rows.length === 0 ? (
        <p className="muted small-text">not measured: server probes arrive during the session, port tests and the path MTU with the report</p>
      ) : (
        <ul className="checks">
          {rows.map((r) => (
            <li key={r.key} className={r.ok === false ? 'check-bad' : r.ok ? 'check-good' : ''}>
              <span className="check-mark" aria-hidden="true">
                {MARK[String(r.ok) as keyof typeof MARK]}
              </span>
              <span className="check-what">{r.what}</span>: <strong>{r.result}</strong>
              {r.detail ? <div className="muted small-text mono">{r.detail}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
