import { describe, expect, it } from 'vitest'
import { ECHO_PLAN, echoMethod, echoStats, echoWaitMs, rfc3550Jitter, type EchoSample } from '../../../src/shared/measure/echoStats'
import { decodeEchoControl, encodeEchoControl, tokenBytes, tokenHex } from '../../../src/shared/measure/echoControl'

describe('RFC 3550 interarrival jitter', () => {
  it('matches a hand-computed example', () => {
    // D = 2, -3, 2: J = 2/16 = 0.125; 0.125 + (3 - 0.125)/16 = 0.3046875; 0.3046875 + (2 - 0.3046875)/16 = 0.41064453125
    const packets = [
      { sent: 0, received: 100 },
      { sent: 10, received: 112 },
      { sent: 20, received: 119 },
      { sent: 30, received: 131 }
    ]
    expect(rfc3550Jitter(packets)).toBeCloseTo(0.41064453125, 10)
  })

  it.each([
    ['no packets', [], null],
    ['one packet', [{ sent: 0, received: 5 }], null],
    ['constant transit, any clock offset', [0, 1, 2, 3].map((i) => ({ sent: i * 10, received: 5_000 + i * 10 })), 0]
  ])('%s', (_name, packets, want) => {
    expect(rfc3550Jitter(packets)).toBe(want)
  })
})

/** A train where the responder's clock is 1000 ms ahead; `out`/`back` are one-way delays per seq, null: lost that way. */
function train(out: Array<number | null>, back: Array<number | null>): EchoSample[] {
  return out.map((o, seq) => {
    const sentMs = seq * 10
    const echoedMs = o === null ? null : sentMs + o + 1_000
    const b = back[seq]
    const receivedMs = echoedMs === null || b === null || b === undefined ? null : sentMs + o! + b
    return { seq, sentMs, echoedMs: receivedMs === null ? null : echoedMs, receivedMs }
  })
}

describe('echo train statistics', () => {
  it('RTT percentiles, round-trip and one-way loss, jitter each way', () => {
    const s = echoStats(train([5, 5, null, 5, 7, 5, 5, 5, 5, 5], [5, 6, 5, 5, 5, null, 5, 5, 5, 5]), 9)
    expect(s).toMatchObject({ sent: 10, received: 8, lossPercent: 20, outLossPercent: 10, backLossPercent: 11.11 })
    expect(s.rtt).toEqual({ minMs: 10, p50Ms: 10, p95Ms: 12, maxMs: 12 })
    // Out: transits 5,5,5,7,5,5,5,5 (seq 2 and 5 missing): D = 0,0,2,2,0,0,0
    const jOut = [0, 0, 2, 2, 0, 0, 0].reduce((j, d) => j + (d - j) / 16, 0)
    expect(s.jitterOutMs).toBe(Math.round(jOut * 100) / 100)
    // Back: transits 5,6,5,5,5,5,5,5: D = 1,1,0,0,0,0,0
    const jBack = [1, 1, 0, 0, 0, 0, 0].reduce((j, d) => j + (d - j) / 16, 0)
    expect(s.jitterBackMs).toBe(Math.round(jBack * 100) / 100)
  })

  it.each([
    ['unknown count', null],
    ['fewer than came back (impossible)', 7],
    ['more than were sent (impossible)', 11],
    ['not an integer', 8.5]
  ])('one-way loss is null for %s', (_name, count) => {
    const s = echoStats(train([5, 5, null, 5, 5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, null, 5, 5, 5, 5]), count)
    expect(s.outLossPercent).toBeNull()
    expect(s.backLossPercent).toBeNull()
    expect(s.lossPercent).toBe(20)
  })

  it('nothing back: no RTT, 100 % loss; nothing sent: 0 %', () => {
    expect(echoStats(train([null, null], [null, null]), 0)).toMatchObject({ rtt: null, lossPercent: 100, outLossPercent: 100, backLossPercent: 0, jitterOutMs: null })
    expect(echoStats([], null)).toMatchObject({ sent: 0, lossPercent: 0, rtt: null })
  })

  it('orders by sequence number, whatever order the replies came in', () => {
    const t = train([5, 6, 5, 6], [5, 5, 5, 5])
    expect(echoStats([...t].reverse(), 4)).toEqual(echoStats(t, 4))
  })

  it('the plan sees 1 % loss within about a second, and the wait after the last request is bounded', () => {
    expect(ECHO_PLAN.count * 0.01).toBeGreaterThanOrEqual(4)
    expect(ECHO_PLAN.count * ECHO_PLAN.spacingMs).toBeLessThanOrEqual(1_000)
    expect([echoWaitMs(null), echoWaitMs(1), echoWaitMs(120), echoWaitMs(5_000)]).toEqual([250, 250, 360, 1_000])
    expect(echoMethod(ECHO_PLAN)).toBe('UDP echo train on the selected pair: 400 probes of 64 bytes every 1.25 ms')
  })
})

describe('echo control messages', () => {
  const token = Uint8Array.from([0, 1, 0xab, 4, 5, 6, 7, 0xff])
  it('round-trip, tokens as 16 hex digits', () => {
    const hex = tokenHex(token)
    expect(hex).toBe('0001ab04050607ff')
    expect([...tokenBytes(hex)]).toEqual([...token])
    for (const m of [
      { t: 'udp-echo', token: hex, count: 400 },
      { t: 'udp-echo-ok', token: hex },
      { t: 'udp-echo-end', token: hex },
      { t: 'udp-echo-count', token: hex, received: 399 }
    ] as const) {
      expect(decodeEchoControl(encodeEchoControl(m))).toEqual(m)
    }
  })

  it.each([
    ['a ping', '{"t":"ping","id":1,"ts":2}'],
    ['not JSON', '{"t":"udp-echo"'],
    ['binary', Buffer.from('{"t":"udp-echo-end","token":"0001ab04050607ff"}')],
    ['a short token', '{"t":"udp-echo-end","token":"0001ab"}'],
    ['an upper-case token', '{"t":"udp-echo-end","token":"0001AB04050607FF"}'],
    ['too many requests', '{"t":"udp-echo","token":"0001ab04050607ff","count":100000}'],
    ['zero requests', '{"t":"udp-echo","token":"0001ab04050607ff","count":0}'],
    ['a negative count', '{"t":"udp-echo-count","token":"0001ab04050607ff","received":-1}'],
    ['a huge message', `{"t":"udp-echo-end","token":"0001ab04050607ff","x":"${'a'.repeat(500)}"}`]
  ])('refuses %s', (_name, data) => {
    expect(decodeEchoControl(data)).toBeUndefined()
  })
})
