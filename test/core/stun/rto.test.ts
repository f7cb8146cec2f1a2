import { describe, expect, it } from 'vitest'
import { RtoEstimator, transmissionTimes } from '../../../src/core/stun/rto'

describe('RTO estimator', () => {
  it('uses the initial RTO before any sample', () => {
    expect(new RtoEstimator({ initialMs: 100, floorMs: 50, ceilingMs: 3000 }).rtoMs).toBe(100)
  })

  it.each([
    // samples, expected RTO: SRTT + 4 * RTTVAR (RFC 6298), clamped to [floor, ceiling]
    [[0.2], 50],
    [[20], 60],
    [[100], 300],
    [[100, 100, 100, 100], 100 + 4 * (50 * 0.75 ** 3)],
    [[2000], 3000]
  ])('samples %j give %d ms', (samples, expected) => {
    const rto = new RtoEstimator({ initialMs: 100, floorMs: 50, ceilingMs: 3000 })
    for (const s of samples) rto.sample(s)
    expect(rto.rtoMs).toBeCloseTo(expected, 5)
  })

  it('ignores nonsense samples', () => {
    const rto = new RtoEstimator()
    rto.sample(-1)
    rto.sample(Number.NaN)
    expect(rto.measured).toBe(false)
  })

  it('doubles the wait between transmissions', () => {
    expect(transmissionTimes(100, 4)).toEqual([0, 100, 300, 700])
  })
})
