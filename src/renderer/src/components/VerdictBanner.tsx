import type { VerdictView } from '../model/verdict'

export function VerdictBanner({ view }: { view: VerdictView }): React.JSX.Element {
  return (
    <div className="verdict-row">
      <section className={`verdict tone-${view.tone}`} role="status" aria-live="polite" data-testid="verdict" id="card-verdict">
        <div className="verdict-title">{view.title}</div>
        {view.reason ? <div className="verdict-reason">{view.reason}</div> : null}
        {view.attempts.length ? (
          <ul className="attempts small-text">
            {view.attempts.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className={`prediction ${view.prediction?.disagrees ? 'disagrees' : ''}`} aria-label="Prediction" data-testid="prediction" id="card-prediction">
        <div className="verdict-title small">{view.prediction?.title ?? 'Prediction: not made'}</div>
        <div className="small-text">
          {view.prediction?.reason ?? 'made from both sides’ NAT types once both are measured'}
          {view.prediction?.disagrees ? <strong> The outcome differs: {view.prediction.differs}.</strong> : null}
        </div>
      </section>
    </div>
  )
}
