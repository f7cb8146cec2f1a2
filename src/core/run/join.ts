import { runSession, since, type RunOutcome, type RunSettings } from './runSession'
import { BadInputError, NoReplyError } from './errors'
import { isLoopback } from './host'
import { httpChannel, joinRoom, SignalClientError } from '../signaling/client'
import { InviteError, parseInvite } from '../signaling/invite'
import { decodeBlob, isBlob, ManualChannel, type BlobMessage } from '../signaling/manual'
import { withLocalStun } from './localStun'
import { chooseStun } from './stunChoice'
import type { IceOptions } from '../peer/iceConfig'

export interface JoinOptions extends RunSettings {
  /** An invite URL or a manual offer blob. */
  target: string
  name: string
}

/** The joining side: joins the room an invite names (or answers an offer blob) and runs the session. */
export async function runJoin(o: JoinOptions): Promise<RunOutcome> {
  const t0 = performance.now()
  const ice: IceOptions = { ...o.ice }
  const { target: _target, ice: _ice, ...settings } = o
  const common = { ...settings, role: 'join' as const }

  if (isBlob(o.target)) {
    let initial: BlobMessage[]
    try {
      initial = decodeBlob(o.target)
    } catch (err) {
      throw new BadInputError((err as Error).message)
    }
    const channel = new ManualChannel({
      peerId: 'join',
      initial,
      onBlob: (blob) => {
        o.emit({ kind: 'blob', atMs: since(t0), which: 'answer', blob })
        o.emit({ kind: 'waiting', atMs: since(t0), detail: 'give the answer to the host; connecting' })
      }
    })
    return withLocalStun(ice, o.offline, (c) => runSession({ ...common, ice: c.ice, stun: c.stun, natServers: c.natServers, channel }))
  }

  let invite
  try {
    invite = parseInvite(o.target)
  } catch (err) {
    throw new BadInputError((err as InviteError).message)
  }
  // Picked before joining: a joiner that holds its place without a word for a few seconds loses it
  // (docs/signaling.md, "a joiner that never comes back"), and the public list may take that long.
  const server = new URL(invite.server)
  // The server holding the room answers STUN on its own port number: the joiner learns its address as the host sees it.
  const own = `stun:${server.hostname}:${server.port || (server.protocol === 'https:' ? 443 : 80)}`
  const c = await chooseStun(ice, { offline: o.offline, own })
  let joined
  try {
    joined = await joinRoom(invite.server, invite.room, invite.secret, o.name)
  } catch (err) {
    if (!(err instanceof SignalClientError)) throw err
    if (err.status === 0) throw new NoReplyError(err.message)
    if (err.status === 403) throw new BadInputError('wrong room secret: copy the whole invite, including the part after #')
    if (err.status === 404) throw new BadInputError('unknown room: the invite expired or the host stopped')
    if (err.status === 409) throw new BadInputError('the room already has a joiner')
    throw new BadInputError(`the signaling server refused to join: ${err.message}`)
  }
  if (isLoopback(server.hostname)) c.ice.additionalHostAddresses = ['127.0.0.1']
  o.emit({ kind: 'joined', atMs: since(t0), room: invite.room })
  return runSession({ ...common, ice: c.ice, stun: c.stun, natServers: c.natServers, signalingServer: invite.server, room: invite.room, channel: httpChannel(invite.server, invite.room, joined.peerId, joined.token) })
}
