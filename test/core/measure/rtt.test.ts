import { describe, expect, it } from 'vitest'
import { clockOffset, rttStats } from '../../../src/core/measure/rtt'

describe('rtt statistics', () => {
  it('computes percentiles, jitter and loss', () => {
    const samples = [10, 12, null, 11, 30, 10, null, 12, 11, 10].map((rttMs, i) => ({ rttMs, sentWallMs: i }))
    const s = rttStats(samples)
    expect(s.sent).toBe(10)
    expect(s.received).toBe(8)
    expect(s.lossPercent).toBe(20)
    expect(s.rtt).toEqual({ minMs: 10, p50Ms: 11, p95Ms: 30, maxMs: 30 })
    // |12-10| + |11-12| + |30-11| + |10-30| + |12-10| + |11-12| + |10-11| = 46 over 7 steps
    expect(s.jitterMs).toBeCloseTo(46 / 7, 2)
  })

  it('says null when nothing came back', () => {
    expect(rttStats([{ rttMs: null, sentWallMs: 0 }])).toMatchObject({ rtt: null, jitterMs: null, lossPercent: 100 })
    expect(rttStats([])).toMatchObject({ rtt: null, lossPercent: 0 })
  })
})

describe('clock offset', () => {
  it('takes the shortest round trip and is exact for symmetric delay', () => {
    // Peer clock 500 ms ahead; one-way delay 5 ms on the best sample, 40 ms on a worse one.
    const samples = [
      { rttMs: 80, sentWallMs: 1000, peerWallMs: 1540, receivedWallMs: 1080 },
      { rttMs: 10, sentWallMs: 2000, peerWallMs: 2505, receivedWallMs: 2010 },
      { rttMs: null, sentWallMs: 3000 }
    ]
    expect(clockOffset(samples)).toEqual({ offsetMs: 500, errorMs: 5 })
    expect(clockOffset([{ rttMs: null, sentWallMs: 0 }])).toBeNull()
  })
})
