import { describe, expect, it } from 'vitest'
import { decodeUdpProbe, encodeUdpProbe, hasToken, UDP_PROBE_MAX_BYTES, UdpProbeKind } from '../../../src/shared/protocol/udpProbe'

const token = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])

describe('UDP probe datagrams', () => {
  it('round-trips each kind, padded to the asked size', () => {
    const d = encodeUdpProbe({ kind: UdpProbeKind.rateData, token, seq: 4_000_000_000, sentMs: 1234.5 }, 1000)
    expect(d.length).toBe(1000)
    expect(d[0]).toBe(0xf5)
    expect(decodeUdpProbe(d)).toMatchObject({ kind: 3, seq: 4_000_000_000, sentMs: 1234.5 })
    const r = decodeUdpProbe(encodeUdpProbe({ kind: UdpProbeKind.echoReply, token, seq: 7, sentMs: 1, echoedMs: 2.25 }))
    expect(r).toMatchObject({ kind: 2, seq: 7, sentMs: 1, echoedMs: 2.25 })
    expect([...r!.token]).toEqual([...token])
  })

  it('refuses what is not a probe: wrong magic, unknown kind, too short, too long, non-finite times', () => {
    const ok = encodeUdpProbe({ kind: UdpProbeKind.echoRequest, token, seq: 1, sentMs: 5 })
    expect(decodeUdpProbe(Uint8Array.from([0x16, ...ok.subarray(1)]))).toBeUndefined()
    expect(decodeUdpProbe(Uint8Array.from([0xf5, 9, ...ok.subarray(2)]))).toBeUndefined()
    expect(decodeUdpProbe(ok.subarray(0, 20))).toBeUndefined()
    expect(decodeUdpProbe(new Uint8Array(UDP_PROBE_MAX_BYTES + 1).fill(0xf5))).toBeUndefined()
    const nan = ok.slice()
    new DataView(nan.buffer).setFloat64(14, Number.NaN)
    expect(decodeUdpProbe(nan)).toBeUndefined()
  })

  it('hasToken tells this train from any other', () => {
    const d = encodeUdpProbe({ kind: UdpProbeKind.rateData, token, seq: 1, sentMs: 0 }, 200)
    expect(hasToken(d, token)).toBe(true)
    expect(hasToken(d, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 9]))).toBe(false)
  })
})
