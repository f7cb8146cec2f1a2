import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectLoopbackPair, type LoopbackPair } from '../../../src/core/werift/loopbackPair'
import { rawDatagrams } from '../../../src/core/werift/rawDatagrams'
import { StunResponder } from '../../../src/core/stun/responder'
import { attachUdpRate, paceStep, type UdpRateEndpoint } from '../../../src/core/measure/udpRateTrain'
import { decodeRateControl, encodeRateControl, type RateControl } from '../../../src/shared/measure/udpRateControl'
import { analyse, type RatePlanOptions } from '../../../src/shared/measure/udpRate'

// Two werift peers on loopback, each with its endpoint on the data channel: the host (offerer) drives.
describe('UDP rate trains between two werift peers', () => {
  const stun = new StunResponder()
  let p: LoopbackPair
  let host: UdpRateEndpoint
  beforeAll(async () => {
    const stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
    p = await connectLoopbackPair({ stunUrl })
    host = attachUdpRate(p.a, () => rawDatagrams(p.offerer))
    attachUdpRate(p.b, () => rawDatagrams(p.answerer))
  })
  afterAll(async () => {
    await p?.close()
    await stun.close()
  })
  // A small ceiling keeps the machine calm: the search ends at the ceiling without saturating loopback.
  const plan: RatePlanOptions = { packetBytes: 1200, budget: { bytes: 2_000_000, ms: 1500 }, maxBps: 1_000_000 }

  for (const direction of ['hostToJoin', 'joinToHost'] as const) {
    it(`${direction}: steps are paced, counted by the receiver and analysed`, async () => {
      const results = await host.run(direction, plan)
      expect(results.length).toBeGreaterThan(1)
      for (const r of results) {
        expect(r.sent).toBeGreaterThan(0)
        expect(r.received).toBeGreaterThan(0)
        expect(r.received).toBeLessThanOrEqual(r.sent)
        expect(r.bytes).toBe(r.received * 1200)
      }
      const a = analyse(results, 1200)
      expect(a.steps.length).toBe(results.length)
      expect(results.reduce((n, r) => n + r.sent * 1200, 0)).toBeLessThanOrEqual(plan.budget.bytes)
    })
  }

  /** Sends a control message from the host's channel and waits for the first answer of `t`. */
  async function ask(m: RateControl, t: RateControl['t']): Promise<RateControl> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${t}`)), 5000)
      const sub = p.a.onMessage.subscribe((data) => {
        const r = decodeRateControl(data)
        if (r?.t !== t) return
        clearTimeout(timer)
        sub.unSubscribe()
        resolve(r)
      })
      p.a.send(encodeRateControl(m))
    })
  }

  it('the answering side refuses what passes its own limits, and a second train while one runs', async () => {
    const token = '0123456789abcdef'
    const fast = await ask({ t: 'ur-send', id: 7, token, step: 0, rateBps: 1e10, ms: 100, size: 1200 }, 'ur-sent')
    expect(fast).toMatchObject({ t: 'ur-sent', sent: 0, reason: expect.stringContaining('rate') })
    const long = await ask({ t: 'ur-send', id: 7, token, step: 1, rateBps: 1000, ms: 60_000, size: 1200 }, 'ur-sent')
    expect(long).toMatchObject({ sent: 0, reason: expect.stringContaining('ms') })
    const other = await ask({ t: 'ur-listen', id: 8, token }, 'ur-ready')
    expect(other).toMatchObject({ ok: false, reason: expect.stringContaining('another train') })
    p.a.send(encodeRateControl({ t: 'ur-close', id: 7 }))
    const now = await ask({ t: 'ur-listen', id: 8, token }, 'ur-ready')
    expect(now).toMatchObject({ ok: true })
    // Nothing with this token was sent: nothing counted.
    expect(await ask({ t: 'ur-report', id: 8, step: 0 }, 'ur-counts')).toMatchObject({ received: 0, bytes: 0, firstMs: null })
    p.a.send(encodeRateControl({ t: 'ur-close', id: 8 }))
  })
})

describe('paceStep', () => {
  it('never has more than 64 datagrams in flight, and stops at the step length', async () => {
    const r = await paceStep(() => new Promise(() => {}), { token: new Uint8Array(8), step: 0, rateBps: 10_000_000, ms: 50, size: 1200 })
    expect(r.sent).toBe(64)
    expect(r.ms).toBeGreaterThanOrEqual(50)
  })
  it('sends every packet of a step it can keep up with, numbered from the step', async () => {
    const seqs: number[] = []
    const r = await paceStep(async (b) => void seqs.push(b.readUInt32BE(10)), { token: new Uint8Array(8), step: 2, rateBps: 120_000, ms: 100, size: 1200 })
    expect(r.sent).toBe(10)
    expect(seqs[0]).toBe(2 * 2 ** 20)
    expect(seqs[9]).toBe(2 * 2 ** 20 + 9)
  })
})
