import { describe, expect, it } from 'vitest'
import { decodeExternalAddressResponse, decodeMapResponse, encodeExternalAddressRequest, encodeMapRequest } from '../../../src/core/portmap/natpmp'

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex')

describe('NAT-PMP messages (RFC 6886)', () => {
  it('encodes the external address request and a UDP map request', () => {
    expect(encodeExternalAddressRequest().toString('hex')).toBe('0000')
    expect(encodeMapRequest('udp', 50000, 50001, 7200).toString('hex')).toBe('00010000' + 'c350' + 'c351' + '00001c20')
    expect(encodeMapRequest('tcp', 1, 0, 0).toString('hex')).toBe('000200000001000000000000')
  })

  it.each([
    ['success', hex('0080 0000 00000010 cb007109'), { ok: true, value: { epoch: 16, address: '203.0.113.9' } }],
    ['refused (not authorized)', hex('0080 0002 00000010 00000000'), { ok: false, resultCode: 2, reason: expect.stringMatching(/NAT-PMP refused: not authorized/) }],
    ['network failure', hex('0080 0003 00000010 00000000'), { ok: false, resultCode: 3, reason: expect.stringMatching(/network failure/) }],
    ['unknown result code', hex('0080 0063 00000010 00000000'), { ok: false, resultCode: 99, reason: expect.stringMatching(/result code 99/) }],
    ['too short', hex('0080'), { ok: false, reason: expect.stringMatching(/too short \(2 bytes\)/) }],
    ['truncated success', hex('0080 0000 00000010 cb'), { ok: false, reason: expect.stringMatching(/too short \(9 bytes, need 12\)/) }],
    ['a PCP packet', hex('02 80 0000 00000000'), { ok: false, reason: expect.stringMatching(/not a NAT-PMP answer \(version 2\)/) }],
    ['another opcode', hex('0081 0000 00000010 cb007109'), { ok: false, reason: expect.stringMatching(/another request \(opcode 129, expected 128\)/) }],
    ['garbage', Buffer.from('HTTP/1.1 400 Bad Request\r\n'), { ok: false, reason: expect.stringMatching(/not a NAT-PMP answer/) }]
  ])('decodes the external address answer: %s', (_name, bytes, want) => {
    expect(decodeExternalAddressResponse(bytes)).toEqual(want)
  })

  it('decodes a map answer and refuses one for TCP when UDP was asked', () => {
    const ok = hex('0081 0000 00000020 c350 c351 00001c20')
    expect(decodeMapResponse(ok, 'udp')).toEqual({ ok: true, value: { epoch: 32, internalPort: 50000, externalPort: 50001, lifetimeS: 7200 } })
    expect(decodeMapResponse(ok, 'tcp')).toMatchObject({ ok: false, reason: expect.stringMatching(/another request/) })
    expect(decodeMapResponse(hex('0081 0004 00000020 c350 0000 00000000'), 'udp')).toMatchObject({ ok: false, resultCode: 4, reason: expect.stringMatching(/out of resources/) })
  })
})
