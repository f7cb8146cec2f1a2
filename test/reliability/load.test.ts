// Signaling under load, CI-sized: many rooms at once through one in-process server, every message
// delivered once and in order, and every room gone after its TTL. `npm run soak` runs the full
// 500-room version against a real `peerlens signal` process and records the timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../src/core/signaling/server'
import { exchangeMany } from '../../bench/soak/exchange'

const ROOMS = 60

describe('signaling under load', () => {
  let server: SignalingServer
  let base: string
  // The rooms' clock, moved forward past the TTL once the exchange is over (two busy cores make
  // real-time TTLs flaky: a short one expires rooms mid-exchange, a long one slows the suite).
  let skew = 0
  beforeAll(async () => {
    // The load is all from 127.0.0.1: the test sets the per-address limit for its own traffic.
    server = new SignalingServer({ ttlMs: 60_000, now: () => Date.now() + skew, rateLimit: { perSecond: 100_000, burst: 100_000 }, maxConnectionsPerAddress: 0 })
    base = `http://127.0.0.1:${(await server.listen(0)).port}/`
  })
  afterAll(() => server.close())

  it(`${ROOMS} rooms at once: no message lost, duplicated or reordered; rooms expire afterwards`, async () => {
    const { results, failures } = await exchangeMany(base, ROOMS, { candidates: 4, waitSeconds: 5, timeoutMs: 30_000 })
    expect(failures).toEqual([])
    expect(results).toHaveLength(ROOMS)
    for (const r of results) {
      expect(r.problems).toEqual([])
      // Each side got exactly the other's script, indexes 0..n-1.
      expect(r.received[0]).toEqual([...r.received[0].keys()])
      expect(r.received[1]).toEqual([...r.received[1].keys()])
      expect(r.received[0].length + r.received[1].length).toBe(r.sent)
    }
    expect(server.rooms.size).toBe(ROOMS)
    // No growth: once the TTL has passed, the sweep deletes every room (no poll is left waiting).
    // The clients' aborted polls reach the server a moment later (until then their room is not
    // idle, and an ending poll counts as activity): move the clock past the TTL each time.
    const deadline = Date.now() + 5000
    while (server.rooms.size > 0 && Date.now() < deadline) {
      skew += 61_000
      server.rooms.sweep()
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(server.rooms.size).toBe(0)
    const health = await fetch(base + 'v1/health')
    expect(health.status).toBe(200)
  })
})
