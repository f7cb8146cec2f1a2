import { describe, expect, it } from 'vitest'
import { decodeRateControl, encodeRateControl, refuseSend, STEP_SEQ_SPAN, StepCounters, tokenBytes, tokenHex, type RateControl } from '../../../src/shared/measure/udpRateControl'

describe('rate control messages', () => {
  const token = '00ff10203040a0b1'
  it.each<RateControl>([
    { t: 'ur-listen', id: 1, token },
    { t: 'ur-ready', id: 1, ok: false, reason: 'busy' },
    { t: 'ur-report', id: 1, step: 3 },
    { t: 'ur-counts', id: 1, step: 3, received: 10, bytes: 12000, firstMs: 5.5, lastMs: 9, fromN: 16, fromMs: 7, medianBps: 1e6 },
    { t: 'ur-counts', id: 1, step: 0, received: 0, bytes: 0, firstMs: null, lastMs: null },
    { t: 'ur-send', id: 2, token, step: 0, rateBps: 1e6, ms: 100, size: 1200 },
    { t: 'ur-sent', id: 2, step: 0, sent: 83, ms: 100.5 },
    { t: 'ur-close', id: 2 }
  ])('round trip: %j', (m) => {
    expect(decodeRateControl(encodeRateControl(m))).toEqual(m)
  })

  it.each([
    ['not a string', 42],
    ['a probe message', '{"t":"ping","id":1,"ts":1}'],
    ['broken JSON', '{"t":"ur-close",'],
    ['a bad token', '{"t":"ur-listen","id":1,"token":"xyz"}'],
    ['a step past the limit', '{"t":"ur-report","id":1,"step":64}'],
    ['a negative count', '{"t":"ur-counts","id":1,"step":0,"received":-1,"bytes":0,"firstMs":null,"lastMs":null}'],
    ['an infinite rate', '{"t":"ur-send","id":1,"token":"00ff10203040a0b1","step":0,"rateBps":1e999,"ms":1,"size":1200}'],
    ['a huge message', `{"t":"ur-close","id":1,"pad":"${'x'.repeat(2000)}"}`]
  ])('ignores %s', (_name, data) => {
    expect(decodeRateControl(data)).toBeUndefined()
  })

  it('refuses to send past its own limits', () => {
    const ok = { t: 'ur-send' as const, id: 1, token, step: 0, rateBps: 1e6, ms: 100, size: 1200 }
    expect(refuseSend(ok, 0)).toBeUndefined()
    expect(refuseSend({ ...ok, rateBps: 1e9 }, 0)).toMatch(/rate/)
    expect(refuseSend({ ...ok, ms: 5000 }, 0)).toMatch(/ms/)
    expect(refuseSend({ ...ok, size: 9000 }, 0)).toMatch(/size/)
    expect(refuseSend(ok, 256 * 1024 * 1024)).toMatch(/bytes/)
  })

  it('tokens survive hex', () => {
    expect(tokenHex(tokenBytes(token))).toBe(token)
  })
})

describe('StepCounters', () => {
  it('counts each step apart by sequence range, with a mark a quarter in', () => {
    const c = new StepCounters()
    for (let i = 0; i < 100; i++) c.add(STEP_SEQ_SPAN + i, 1200, i)
    c.add(5, 1200, 1000)
    expect(c.counts(1)).toMatchObject({ received: 100, bytes: 120_000, firstMs: 0, lastMs: 99, fromN: 16, fromMs: 15 })
    expect(c.counts(0)).toMatchObject({ received: 1, firstMs: 1000 })
    expect(c.counts(2)).toEqual({ received: 0, bytes: 0, firstMs: null, lastMs: null })
  })
  it('ignores sequence numbers past the last step (bounded memory)', () => {
    const c = new StepCounters()
    c.add(64 * STEP_SEQ_SPAN, 1200, 0)
    c.add(2 ** 32 - 1, 1200, 0)
    expect(c.counts(63).received).toBe(0)
  })
})
