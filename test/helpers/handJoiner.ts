// A joiner built by hand against a real `peerlens host` process: a PeerSession whose name and report
// half the test chooses (a hostile peer). It joins the invite's room, runs one session with the
// host's own STUN responder (nothing leaves the machine) and closes.
import { parseInvite } from '../../src/core/signaling/invite'
import { httpChannel, joinRoom } from '../../src/core/signaling/client'
import { PeerSession } from '../../src/core/peer/orchestrator'
import type { SessionOptions } from '../../src/core/peer/options'

export async function joinByHand(inviteUrl: string, o: { name: string; describeSide: SessionOptions['describeSide'] }): Promise<void> {
  const invite = parseInvite(inviteUrl)
  const joined = await joinRoom(invite.server, invite.room, invite.secret, o.name)
  const port = new URL(invite.server).port
  const session = new PeerSession({
    role: 'join',
    channel: httpChannel(invite.server, invite.room, joined.peerId, joined.token, { waitSeconds: 5 }),
    ice: { stun: [`stun:127.0.0.1:${port}`], turn: [], additionalHostAddresses: ['127.0.0.1'] },
    timeoutMs: 30_000,
    name: o.name,
    throughputBytes: 0,
    describeSide: o.describeSide
  })
  try {
    await session.run()
  } finally {
    await session.close()
  }
}
