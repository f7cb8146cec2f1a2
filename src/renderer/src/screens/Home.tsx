import { useState } from 'react'
import { useApp } from '../store/context'
import { cleanTarget, hostParams, targetKind, type HostChoice } from '../model/home'
import { PastSessions } from '../components/PastSessions'

function HostCard(): React.JSX.Element {
  const lastHost = useApp((s) => s.settings?.lastHost ?? '0.0.0.0:8080')
  const host = useApp((s) => s.host)
  const busy = useApp((s) => s.busy)
  const [choice, setChoice] = useState<HostChoice>('embedded')
  const [listen, setListen] = useState<string | undefined>(undefined)
  const [signal, setSignal] = useState<string | undefined>(undefined)
  const [error, setError] = useState('')
  const remembered = /^https?:/.test(lastHost)
  const listenValue = listen ?? (remembered ? '0.0.0.0:8080' : lastHost)
  const signalValue = signal ?? (remembered ? lastHost : '')

  const submit = (e: React.FormEvent): void => {
    e.preventDefault()
    const params = hostParams(choice, listenValue, signalValue)
    if (typeof params === 'string') return setError(params)
    setError('')
    void host(params)
  }
  return (
    <form className="card action" onSubmit={submit} aria-labelledby="host-title">
      <h2 id="host-title">Host</h2>
      <p className="muted">Open a room and give the invite to the other laptop.</p>
      <fieldset>
        <legend>How the other laptop reaches you</legend>
        <label>
          <input type="radio" name="mode" checked={choice === 'embedded'} onChange={() => setChoice('embedded')} /> This machine (same LAN or VPN)
        </label>
        {choice === 'embedded' ? (
          <label className="indent">
            Listen on <input value={listenValue} onChange={(e) => setListen(e.target.value)} aria-label="Listen address" spellCheck={false} />
          </label>
        ) : null}
        <label>
          <input type="radio" name="mode" checked={choice === 'remote'} onChange={() => setChoice('remote')} /> A signaling server
        </label>
        {choice === 'remote' ? (
          <label className="indent">
            Server <input value={signalValue} placeholder="https://signal.example.org/" onChange={(e) => setSignal(e.target.value)} aria-label="Signaling server" spellCheck={false} />
          </label>
        ) : null}
        <label>
          <input type="radio" name="mode" checked={choice === 'manual'} onChange={() => setChoice('manual')} /> No server: copy and paste blobs
        </label>
      </fieldset>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy} data-testid="host-button">
        Host
      </button>
    </form>
  )
}

function JoinCard(): React.JSX.Element {
  const join = useApp((s) => s.join)
  const busy = useApp((s) => s.busy)
  const [text, setText] = useState('')
  const [over, setOver] = useState(false)
  const kind = targetKind(text)

  const drop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault()
    setOver(false)
    const file = e.dataTransfer.files[0]
    const dropped = file ? await file.slice(0, 64 * 1024).text() : e.dataTransfer.getData('text/uri-list') || e.dataTransfer.getData('text/plain')
    setText(cleanTarget(dropped))
  }
  const submit = (e: React.FormEvent): void => {
    e.preventDefault()
    if (kind === 'invite' || kind === 'blob') void join(cleanTarget(text))
  }
  return (
    <form className="card action" onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">Join</h2>
      <p className="muted">Paste or drop the host’s invite (http://…/join/ROOM#SECRET) or its offer blob (PL1:…).</p>
      <textarea
        className={`drop ${over ? 'over' : ''}`}
        rows={4}
        value={text}
        spellCheck={false}
        aria-label="Invite or offer blob"
        placeholder="http://192.168.1.20:8080/join/…#…"
        onChange={(e) => setText(e.target.value)}
        onDragOver={(e) => {
          e.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void drop(e)}
        data-testid="join-input"
      />
      <div className={`small-text ${kind === 'no-secret' || kind === 'unknown' ? 'error-text' : 'muted'}`} aria-live="polite" data-testid="join-kind">
        {kind === 'invite'
          ? 'an invite: joins through the host’s signaling server'
          : kind === 'blob'
            ? 'an offer blob: you will get an answer blob to send back'
            : kind === 'no-secret'
              ? 'this invite lost its secret (the part after #): copy the whole link'
              : kind === 'unknown'
                ? 'this is neither an invite (http://…/join/ROOM#SECRET) nor an offer blob (PL1:…)'
                : ''}
      </div>
      <button type="submit" className="primary" disabled={busy || (kind !== 'invite' && kind !== 'blob')} data-testid="join-button">
        Join
      </button>
    </form>
  )
}

export function Home(): React.JSX.Element {
  const checkNat = useApp((s) => s.checkNat)
  const openReport = useApp((s) => s.openReport)
  return (
    <div className="home">
      <div className="home-grid">
        <HostCard />
        <JoinCard />
      </div>
      <div className="row wrap home-more">
        <button type="button" onClick={() => void checkNat()} data-testid="check-nat">
          Check my NAT
        </button>
        <button type="button" onClick={() => void openReport()}>
          Open report…
        </button>
      </div>
      <PastSessions />
    </div>
  )
}
