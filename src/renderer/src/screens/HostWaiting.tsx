import { useState } from 'react'
import type { LiveSession } from '../model/liveSession'
import { inviteFor } from '../model/home'
import { useApp } from '../store/context'
import { CopyButton } from '../components/CopyButton'
import { BlobBox } from '../components/BlobBox'
import { SessionStatus } from '../components/SessionStatus'

export function HostWaiting({ session }: { session: LiveSession }): React.JSX.Element {
  const cancel = useApp((s) => s.cancel)
  const answer = useApp((s) => s.answer)
  const [blob, setBlob] = useState('')
  return (
    <div className="waiting">
      <SessionStatus session={session} />
      <section className="card" aria-labelledby="invite-title">
        <h2 id="invite-title">{session.blobs.offer ? 'Manual mode: exchange blobs' : 'Waiting for a joiner'}</h2>
        {session.invite ? (
          <>
            <p className="muted">Give this invite to the other laptop (chat, e-mail, anything). It holds the room secret.</p>
            <div className="invite row">
              <code className="mono" data-testid="invite">
                {session.invite}
              </code>
              <CopyButton text={session.invite} what="invite" label="Copy invite" />
            </div>
          </>
        ) : null}
        {session.addresses.length ? (
          <>
            <h3>Addresses a joiner can use</h3>
            <ul className="addresses">
              {session.addresses.map(({ address, url }) => (
                <li key={`${address.name}-${address.address}`}>
                  <span className="iface">{address.name}</span>
                  {address.vpnLike ? <span className="tag vpn">VPN</span> : null}
                  <code className="mono">{address.address}</code>
                  {session.invite ? <CopyButton text={inviteFor(session.invite, url)} what={`invite for ${address.name}`} /> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {session.blobs.offer ? (
          <>
            <BlobBox label="Offer blob" blob={session.blobs.offer} />
            <form
              className="blob"
              onSubmit={(e) => {
                e.preventDefault()
                if (blob.trim()) void answer(blob.trim())
              }}
            >
              <label htmlFor="answer-blob">Paste the joiner’s answer blob</label>
              <textarea id="answer-blob" rows={4} value={blob} onChange={(e) => setBlob(e.target.value)} spellCheck={false} placeholder="PL1:…" />
              <button type="submit" className="primary" disabled={!blob.trim().startsWith('PL1:')}>
                Connect
              </button>
            </form>
          </>
        ) : null}
        <div className="row wrap">
          <span className="spinner" aria-hidden="true" />
          <span className="muted">{session.waiting ?? 'starting…'}</span>
        </div>
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </section>
    </div>
  )
}
