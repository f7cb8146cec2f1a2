import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../../src/core/signaling/server'
import { localHostChannel } from '../../../src/core/signaling/local'
import { httpChannel, joinRoom } from '../../../src/core/signaling/client'
import { PeerSession } from '../../../src/core/peer/orchestrator'
import { installWeriftPatches } from '../../../src/core/werift/patches'
import { StunResponder } from '../../../src/core/stun/responder'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('PeerSession on loopback', () => {
  // The run layer installs them before every session; a test that builds a session itself must too.
  beforeAll(() => installWeriftPatches())
  it('connects host and join through the embedded server and measures the channel', async () => {
    const server = new SignalingServer()
    const { port } = await server.listen(0)
    const stun = new StunResponder()
    await stun.listen(port, '127.0.0.1')
    cleanups.push(() => server.close(), () => stun.close())
    const base = `http://127.0.0.1:${port}/`
    const ice = { stun: [`stun:127.0.0.1:${port}`], turn: [], additionalHostAddresses: ['127.0.0.1'] }

    const { created, channel: hostChannel } = localHostChannel(server.rooms)
    const host = new PeerSession({ role: 'host', channel: hostChannel, ice, timeoutMs: 20_000 })
    const joined = await joinRoom(base, created.room, created.secret, 'b')
    const join = new PeerSession({ role: 'join', channel: httpChannel(base, created.room, joined.peerId, joined.token, { waitSeconds: 5 }), ice, timeoutMs: 20_000 })
    const [h, j] = await Promise.all([host.run(), join.run()])
    cleanups.push(() => host.close(), () => join.close())

    for (const r of [h, j]) {
      expect(r.verdict, r.reason).toBe('direct')
      expect(r.selectedPair?.local.address).toBeTruthy()
      expect(r.rttMs).toBeGreaterThanOrEqual(0)
      expect(r.localCandidates.length).toBeGreaterThan(0)
      expect(r.remoteCandidates.length).toBeGreaterThan(0)
      expect(r.pairs.some((p) => p.state === 'succeeded')).toBe(true)
      // Both peerlens sides answer UDP probes: RTT, loss and jitter come from an echo train on the selected pair.
      const direct = r.paths?.direct
      expect(direct?.probeMethod).toMatch(/^UDP echo train on the selected pair: 400 probes/)
      expect(direct?.probesSent).toBe(400)
      expect(direct?.lossPercent).toBe(0)
      expect(direct?.lossOneWay).toEqual({ hostToJoinPercent: 0, joinToHostPercent: 0 })
      expect(direct?.jitter?.method).toMatch(/^RFC 3550/)
      expect(direct?.jitter?.hostToJoinMs).not.toBeNull()
      // The verdict comes first, the measurements after it: both times are in the result.
      const kinds = r.events.map((e) => e.kind)
      const verdictAt = kinds.indexOf('verdict')
      expect(r.events[verdictAt], r.role).toMatchObject({ verdict: 'direct', attempt: 1 })
      expect(verdictAt).toBeLessThan(kinds.indexOf('path-metrics'))
      expect(r.verdictAfterMs).toBeGreaterThanOrEqual(r.connectedAfterMs!)
      expect(r.measuredAfterMs).toBeGreaterThanOrEqual(r.verdictAfterMs!)
    }
    // The host measures throughput, after its verdict.
    expect(h.events.findIndex((e) => e.kind === 'verdict')).toBeLessThan(h.events.findIndex((e) => e.kind === 'throughput'))
    expect(h.peer?.version).toBeTruthy()
    expect(stun.answered).toBeGreaterThan(0)
  })
})
