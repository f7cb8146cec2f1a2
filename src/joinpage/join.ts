// The join page: opened from an invite (http://HOST:PORT/join/ROOM#SECRET) in any browser.
import { SignalApi, joinFailure, readInvite } from './api'
import { BrowserJoin } from './browserJoin'
import { browserOs } from './side'
import { render, renderError } from './view'

function start(): void {
  const root = document.getElementById('app')
  if (!root) return
  const invite = readInvite(location.pathname, location.hash, location.origin)
  if (!invite) return renderError(root, 'This address is not a peerlens invite: it should look like http://HOST:PORT/join/ROOM#SECRET.')
  if (!invite.secret) return renderError(root, 'This address has no secret after #. Copy the whole invite again, including everything after #.')
  const room = invite.room
  const version = document.querySelector<HTMLMetaElement>('meta[name="peerlens-version"]')?.content ?? 'unknown'
  // The peerlens server answers STUN on its own port number: no public STUN server is ever used.
  const port = location.port || (location.protocol === 'https:' ? '443' : '80')
  const query = new URLSearchParams(location.search)
  const timeoutS = Number(query.get('timeout'))
  const session = new BrowserJoin(
    new SignalApi(invite.base, room),
    {
      name: (query.get('name') ?? `browser on ${browserOs(navigator.userAgent).platform}`).slice(0, 128),
      version,
      stunUrl: `stun:${location.hostname}:${port}`,
      timeoutMs: Number.isInteger(timeoutS) && timeoutS >= 1 && timeoutS <= 600 ? timeoutS * 1000 : 30_000,
      probes: 5
    },
    (state) => render(root, room, state)
  )
  addEventListener('pagehide', () => session.leave())
  session.start(invite.secret).catch((err: unknown) => renderError(root, joinFailure(err)))
}

start()
