import { GLOSSARY } from '../model/glossary'

/** The words the NAT cards and tables use, explained (collapsed until asked for). */
export function Glossary(): React.JSX.Element {
  return (
    <details className="card glossary" data-testid="glossary">
      <summary>Glossary: what the NAT words mean</summary>
      <dl>
        {GLOSSARY.map((g) => (
          <div key={g.term}>
            <dt>{g.term}</dt>
            <dd>{g.meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  )
}
