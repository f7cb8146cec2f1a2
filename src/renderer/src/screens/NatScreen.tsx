import { useApp } from '../store/context'
import { NatCard } from '../components/NatCard'
import { DataTable } from '../components/DataTable'

export function NatScreen(): React.JSX.Element {
  const nat = useApp((s) => s.nat)
  const checkNat = useApp((s) => s.checkNat)
  const servers = useApp((s) => s.settings?.natServers ?? [])
  return (
    <div className="nat-screen">
      <h2>My NAT</h2>
      <p className="muted">
        RFC 5780 tests against {servers.length ? servers.join(', ') : 'public STUN servers that support them (set your own in Settings)'}: how this network maps and filters UDP.
      </p>
      <NatCard title="this machine" result={nat.result} state={nat} />
      {nat.tests.length ? (
        <section className="card">
          <h3>Tests</h3>
          <DataTable columns={[{ label: 'test' }, { label: 'result' }, { label: 'mapped' }, { label: 'ms', num: true }, { label: 'detail' }]} scrollable={false}>
            {nat.tests.map((t) => (
              <tr key={t.name}>
                <td>{t.name}</td>
                <td>{t.result}</td>
                <td className="mono">{t.mapped ? `${t.mapped.address}:${t.mapped.port}` : ''}</td>
                <td className="num">{Math.round(t.ms)}</td>
                <td className="small-text">{t.detail ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
      <button type="button" onClick={() => void checkNat()} disabled={nat.status === 'running'}>
        Check again
      </button>
    </div>
  )
}
