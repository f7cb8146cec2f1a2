// The Mesh screen: the latest verdict of every pair of an agent group (what `peerlens matrix`
// prints), each cell opening that pair's result, and the changes seen while the screen reads it.
// The group secret stays in this screen's state: it goes to the main process with each reading only.
import { useEffect, useRef, useState } from 'react'
import { bridge } from '../bridge'
import type { MeshView } from '../../../shared/ipc'
import { atText, meshFormProblem, meshGrid, meshSummary, meshTone, pairOf, type MeshForm } from '../model/mesh'

/** How often an open matrix is read again. */
const REFRESH_MS = 60_000

export function Mesh(): React.JSX.Element {
  const [form, setForm] = useState<MeshForm>({ signal: '', group: '', secret: '' })
  const [view, setView] = useState<MeshView | undefined>()
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [picked, setPicked] = useState<[string, string] | undefined>()
  const reading = useRef<MeshForm | undefined>(undefined)

  const read = async (f: MeshForm): Promise<void> => {
    const problem = meshFormProblem(f)
    if (problem) {
      setError(problem)
      return
    }
    setBusy(true)
    try {
      const v = await bridge().call('mesh.matrix', { signal: f.signal.trim(), group: f.group.trim(), secret: f.secret })
      reading.current = f
      setView(v)
      setError('')
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  useEffect(() => {
    const timer = setInterval(() => {
      if (reading.current) void read(reading.current)
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [])

  const field = (name: keyof MeshForm, label: string, type = 'text', placeholder = ''): React.JSX.Element => (
    <label>
      {label}
      <input type={type} value={form[name]} placeholder={placeholder} autoComplete="off" spellCheck={false} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  )
  const pair = view && picked ? pairOf(view.matrix, picked[0], picked[1]) : undefined
  return (
    <div className="mesh-screen">
      <h2>Mesh</h2>
      <p className="muted">The latest verdict of every pair of an agent group (peerlens agent), read from the group directory of their signaling server.</p>
      <form
        className="card mesh-form"
        aria-label="Agent group"
        onSubmit={(e) => {
          e.preventDefault()
          void read(form)
        }}
      >
        {field('signal', 'Signaling server', 'url', 'http://server:8080/')}
        {field('group', 'Group', 'text', 'office')}
        {field('secret', 'Group secret', 'password')}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Reading…' : view ? 'Read again' : 'Show the matrix'}
        </button>
        {error ? (
          <p className="error-text" role="alert" data-testid="mesh-error">
            {error}
          </p>
        ) : null}
      </form>
      {view ? (
        <>
          <section className="card" data-testid="mesh-matrix">
            <h3>Group {view.group}</h3>
            <p className="muted small-text">
              {meshSummary(view.matrix)}; read {atText(view.readAt)}
            </p>
            {view.matrix.peers.length ? (
              <div className="mesh-scroll">
                <table className="mesh-table">
                  <thead>
                    <tr>
                      <th scope="col" />
                      {view.matrix.peers.map((p) => (
                        <th scope="col" key={p}>
                          {p}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {meshGrid(view.matrix).map((row, i) => (
                      <tr key={view.matrix.peers[i]}>
                        <th scope="row">{view.matrix.peers[i]}</th>
                        {row.map((c) => (
                          <td key={c.col} className={c.pair ? `mesh-cell tone-${c.tone}` : 'mesh-cell self'}>
                            {c.pair ? (
                              <button type="button" title={c.title} aria-label={c.title} aria-pressed={picked?.[0] === c.row && picked?.[1] === c.col} onClick={() => setPicked([c.row, c.col])}>
                                {c.label}
                              </button>
                            ) : (
                              <span aria-hidden="true">{c.label}</span>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </section>
          {pair ? (
            <section className={`card mesh-pair tone-${meshTone(pair.verdict)}`} data-testid="mesh-pair" aria-live="polite">
              <h3>
                {pair.a} ↔ {pair.b}: {pair.verdict}
              </h3>
              <p>
                {pair.rttMs !== null ? `RTT ${pair.rttMs} ms, ` : ''}tested {atText(pair.at)}
              </p>
              <p>{pair.reason || 'no reason given'}</p>
              <p className="muted small-text">Agents publish each pair&apos;s verdict, not its report: the full report stays in the agents&apos; history (peerlens agent --history).</p>
            </section>
          ) : null}
          <section className="card" data-testid="mesh-changes">
            <h3>Changes</h3>
            {view.changes.length ? (
              <ul className="mesh-changes">
                {view.changes.map((c, i) => (
                  <li key={`${c.at}-${i}`} className={c.kind === 'verdict' ? `verdict-tag tone-${meshTone(c.after ?? '')}` : undefined}>
                    <span className="mono small-text">{atText(c.at)}</span> {c.text}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No change since this screen first read the group (it reads again every minute).</p>
            )}
          </section>
        </>
      ) : null}
    </div>
  )
}
