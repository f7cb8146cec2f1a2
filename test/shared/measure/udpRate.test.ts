import { describe, expect, it } from 'vitest'
import { ArrivalWindows, analyse, capacityOf, deliveredBps, drainAfter, lossPercent, nextStep, pathRate, saturated, stepCost, type RatePlanOptions, type StepOutcome } from '../../../src/shared/measure/udpRate'
import { payloadRate, tbfLink, type TbfLink } from '../../helpers/tbfModel'

const PACKET = 1200

function search(link: TbfLink, o: Partial<RatePlanOptions> = {}): { results: StepOutcome[]; opts: RatePlanOptions } {
  const opts: RatePlanOptions = { packetBytes: PACKET, budget: { bytes: 16 * 1024 * 1024, ms: 2000 }, ...o }
  const model = tbfLink(link)
  const results: StepOutcome[] = []
  for (let i = 0; i < 50; i++) {
    const step = nextStep(results, opts)
    if (!step) break
    results.push(model.run(step, PACKET))
  }
  return { results, opts }
}

function used(results: StepOutcome[]): { bytes: number; ms: number } {
  return results.reduce((sum, r) => ({ bytes: sum.bytes + r.sent * PACKET, ms: sum.ms + stepCost(r, drainAfter(r, PACKET) > 0).ms }), { bytes: 0, ms: 0 })
}

describe('delivered rate, loss, saturation', () => {
  const step = { phase: 'ramp' as const, offeredBps: 1_000_000, ms: 100 }
  it('times the receiver from first to last arrival and counts n-1 gaps', () => {
    // 11 packets of 1000 bytes, 10 ms apart: 10 gaps in 100 ms carry 10 packets' bytes.
    expect(deliveredBps({ received: 11, bytes: 11_000, firstMs: 5, lastMs: 105 })).toBeCloseTo(100_000)
    expect(deliveredBps({ received: 1, bytes: 1000, firstMs: 5, lastMs: 5 })).toBe(0)
    expect(deliveredBps({ received: 0, bytes: 0, firstMs: null, lastMs: null })).toBe(0)
  })
  it('bounds loss to 0..100 even when a peer reports more than was sent', () => {
    expect(lossPercent({ sent: 200, received: 198 })).toBe(1)
    expect(lossPercent({ sent: 10, received: 50 })).toBe(0)
    expect(lossPercent({ sent: 0, received: 0 })).toBe(0)
  })
  it('calls a step saturated only when loss is high and the delivered rate fell behind', () => {
    const out = (received: number, spanMs: number): StepOutcome => ({ ...step, sent: 100, sentMs: 100, received, bytes: received * 1000, firstMs: 0, lastMs: spanMs })
    expect(saturated(out(60, 100), 1000)).toBe(true)
    expect(saturated(out(98, 100), 1000)).toBe(false) // random loss, rate kept up
  })
})

describe('the rate search on a modelled tbf link', () => {
  for (const mbit of [10, 40, 100])
    for (const loss of [0, 0.5, 2]) {
      it(`${mbit} Mbit/s, ${loss} % loss: capacity within 3 %, budget kept, max rate under 1 % loss found unless the link loses more`, () => {
        const link = { mbit, lossPercent: loss, seed: mbit * 10 + loss * 2 + 1 }
        const { results, opts } = search(link)
        const truth = payloadRate(link, PACKET)
        const capacity = capacityOf(results, PACKET)
        expect(capacity).not.toBeNull()
        expect(Math.abs(capacity! / truth - 1)).toBeLessThan(0.03)
        const u = used(results)
        expect(u.ms).toBeLessThanOrEqual(opts.budget.ms)
        expect(u.bytes).toBeLessThanOrEqual(opts.budget.bytes)
        const a = analyse(results, PACKET)
        if (loss < 1) {
          expect(a.maxRateBps).not.toBeNull()
          expect(a.maxRateBps! / truth).toBeGreaterThan(0.8)
          expect(a.maxRateBps! / truth).toBeLessThan(1.0)
          expect(a.lossAtMaxPercent!).toBeLessThan(1)
        } else if (a.maxRateBps !== null) {
          // A step of a few hundred packets on a 2 % link can lose under 1 % by chance: only then is a rate named.
          expect(a.lossAtMaxPercent!).toBeLessThan(1)
        }
        expect(pathRate(results, PACKET)!.capped).toBe(false)
        expect(a.steps.length).toBe(results.length)
      })
    }

  it('a small byte budget shortens or drops steps and never exceeds it', () => {
    const { results, opts } = search({ mbit: 100 }, { budget: { bytes: 2 * 1024 * 1024, ms: 5000 } })
    expect(used(results).bytes).toBeLessThanOrEqual(opts.budget.bytes)
    expect(results.length).toBeGreaterThan(0)
    expect(pathRate(results, PACKET)).not.toBeNull()
  })

  it('a time budget too small for one step sends nothing', () => {
    expect(nextStep([], { packetBytes: PACKET, budget: { bytes: 1e9, ms: 150 } })).toBeUndefined()
    expect(nextStep([], { packetBytes: PACKET, budget: { bytes: 10, ms: 5000 } })).toBeUndefined()
  })

  it('a sender slower than the path stops the ramp: the figure is a lower bound, no capacity claimed', () => {
    const { results } = search({ mbit: 100, senderPps: 2000 })
    expect(capacityOf(results, PACKET)).toBeNull()
    const rate = pathRate(results, PACKET)!
    expect(rate.capped).toBe(true)
    expect(rate.bps).toBeGreaterThan(2000 * PACKET * 0.9)
    expect(results.length).toBeLessThan(6)
  })

  it('a path that loses everything ends the search with no rate and no capacity', () => {
    const results: StepOutcome[] = []
    const opts = { packetBytes: PACKET, budget: { bytes: 16e6, ms: 2000 } }
    for (let i = 0; i < 50; i++) {
      const s = nextStep(results, opts)
      if (!s) break
      results.push({ ...s, sent: 100, sentMs: s.ms, received: 0, bytes: 0, firstMs: null, lastMs: null })
    }
    expect(results.length).toBeLessThan(50)
    expect(pathRate(results, PACKET)).toBeNull()
    expect(analyse(results, PACKET).maxRateBps).toBeNull()
  })
})

describe('the highest rate under 1 % loss', () => {
  const base = { phase: 'ramp' as const, ms: 100, sentMs: 100 }
  it('counts a lossless step under capacity that arrived slowly (a receiver stall), never one above capacity that rode the queue', () => {
    const results: StepOutcome[] = [
      // Above capacity, lossless thanks to the queue: arrivals spread over 150 ms.
      { ...base, offeredBps: 2_000_000, sent: 167, received: 167, bytes: 167 * 1200, firstMs: 0, lastMs: 150 },
      // The confirm step: 1.2 MB/s arrived while 1.5 MB/s was offered.
      { ...base, phase: 'confirm', offeredBps: 1_500_000, ms: 1000, sentMs: 1000, sent: 1250, received: 1000, bytes: 1_200_000, firstMs: 0, lastMs: 999 },
      // Under capacity, lossless, but the receiver stalled: arrivals spread over 130 ms.
      { ...base, phase: 'under', offeredBps: 1_140_000, sent: 95 * 2, ms: 200, sentMs: 200, received: 190, bytes: 190 * 1200, firstMs: 0, lastMs: 260 }
    ]
    const a = analyse(results, 1200)
    expect(a.capacityBps).toBeCloseTo(1_200_000, -4)
    expect(a.maxRateBps).toBe(1_140_000)
  })
})

describe('ArrivalWindows', () => {
  it('a stall of the receiver (nothing read for 120 ms, then a batch) moves the median rate little', () => {
    const w = new ArrivalWindows()
    // One 1200-byte packet per ms for 600 ms (1.2 MB/s); packets 200..319 are read together at 320 ms.
    for (let i = 0; i < 600; i++) w.add(1200, i >= 200 && i < 320 ? 320 : i)
    expect(w.median()! / 1_200_000).toBeGreaterThan(0.97)
    expect(w.median()! / 1_200_000).toBeLessThan(1.03)
  })
  it('has no median for fewer than five windows', () => {
    const w = new ArrivalWindows()
    for (let i = 0; i < 100; i++) w.add(1200, i)
    expect(w.median()).toBeUndefined()
  })
})

describe('a short step read in a batch', () => {
  it('never reads faster than it was sent, and does not hide the capacity of the confirm step', () => {
    const results: StepOutcome[] = [
      // 80 ms sent at 2 MB/s, read in a batch: timed at 5.5 MB/s.
      { phase: 'ramp', offeredBps: 2_000_000, ms: 80, sentMs: 80, sent: 133, received: 133, bytes: 133 * 1200, firstMs: 0, lastMs: 29 },
      { phase: 'confirm', offeredBps: 6_000_000, ms: 700, sentMs: 700, sent: 3500, received: 2800, bytes: 2800 * 1200, firstMs: 0, lastMs: 700, medianBps: 4_800_000 }
    ]
    expect(capacityOf(results, 1200)).toBe(4_800_000)
    expect(pathRate(results, 1200)!.bps).toBe(4_800_000)
  })
})
