import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../../src/core/signaling/server'
import { localHostChannel } from '../../../src/core/signaling/local'
import { httpChannel, joinRoom } from '../../../src/core/signaling/client'
import { PeerSession } from '../../../src/core/peer/orchestrator'
import { installWeriftPatches } from '../../../src/core/werift/patches'
import { StunResponder } from '../../../src/core/stun/responder'
import type { SignalMessage } from '../../../src/shared/signaling'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup() {
  const server = new SignalingServer()
  const { port } = await server.listen(0)
  const stun = new StunResponder()
  await stun.listen(port, '127.0.0.1')
  cleanups.push(() => server.close(), () => stun.close())
  const { created, channel } = localHostChannel(server.rooms)
  const joined = await joinRoom(`http://127.0.0.1:${port}/`, created.room, created.secret)
  const peer = httpChannel(`http://127.0.0.1:${port}/`, created.room, joined.peerId, joined.token, { waitSeconds: 1 })
  cleanups.push(() => peer.close())
  return { channel, peer, ice: { stun: [`stun:127.0.0.1:${port}`], turn: [], additionalHostAddresses: ['127.0.0.1'] } }
}

describe('hello', () => {
  // The run layer installs them before every session; a test that builds a session itself must too.
  beforeAll(() => installWeriftPatches())
  it('reports a version mismatch, and a third-party peer with a bare hello gets one standard offer', async () => {
    const { channel, peer, ice } = await setup()
    const got: SignalMessage[] = []
    peer.start((m) => got.push(m))
    const host = new PeerSession({ role: 'host', channel, ice, timeoutMs: 2_000 })
    const run = host.run()
    await peer.send('hello', { name: 'other', version: '9.9.9' })
    const result = await run
    await host.close()
    expect(result.versionMismatch).toMatch(/the other side 9\.9\.9/)
    expect(result.events.some((e) => e.kind === 'warning' && /version mismatch/.test(e.message))).toBe(true)
    // A peer that announced no features: the plain offer, no relay attempt, no NAT message.
    const types = got.map((m) => m.type)
    expect(types).toContain('offer')
    expect(types).not.toContain('relay-offer')
    expect(types).not.toContain('nat')
    expect(result.verdict).toBe('failed')
    expect(result.reason).toMatch(/within 2 s/)
  })

  it('ignores message types it does not know', async () => {
    const { channel, peer, ice } = await setup()
    peer.start(() => {})
    const host = new PeerSession({ role: 'host', channel, ice, timeoutMs: 1_500 })
    const run = host.run()
    await peer.send('future-thing', { x: 1 })
    await peer.send('hello', { name: 'x', version: '0.1.0', features: [] })
    const result = await run
    await host.close()
    expect(result.events.filter((e) => e.kind === 'error').map((e) => (e as { message: string }).message).join()).not.toMatch(/future-thing/)
    expect(result.peer?.name).toBe('x')
  })
})
