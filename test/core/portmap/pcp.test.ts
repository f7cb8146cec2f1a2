import { describe, expect, it } from 'vitest'
import { decodeAddress, decodeResponse, encodeAddress, encodeAnnounce, encodeMap, PCP_OPCODE } from '../../../src/core/portmap/pcp'

function response(opcode: number, result: number, payload = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(24)
  b[0] = 2
  b[1] = 0x80 | opcode
  b[3] = result
  b.writeUInt32BE(120, 4)
  b.writeUInt32BE(77, 8)
  return Buffer.concat([b, payload])
}

describe('PCP messages (RFC 6887)', () => {
  it.each([
    ['10.1.0.2', '00000000000000000000ffff0a010002'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::5', '20010db8000000000000000000000005'],
    ['fd00:1::2', 'fd000001000000000000000000000002']
  ])('addresses in 16 bytes: %s', (address, hexed) => {
    expect(encodeAddress(address).toString('hex')).toBe(hexed)
    expect(decodeAddress(Buffer.from(hexed, 'hex'))).toBe(address)
  })

  it('ANNOUNCE is a 24-byte header with lifetime 0 and our address', () => {
    expect(encodeAnnounce('10.1.0.2').toString('hex')).toBe('0200000000000000' + '00000000000000000000ffff0a010002')
  })

  it('MAP carries the nonce, UDP (17), the ports and "any IPv4" as suggested address', () => {
    const nonce = Buffer.from('0102030405060708090a0b0c', 'hex')
    const b = encodeMap({ nonce, protocol: 'udp', internalPort: 40000, suggestedExternalPort: 40000, lifetimeS: 600, clientAddress: '10.1.0.2' })
    expect(b.length).toBe(60)
    expect(b[1]).toBe(1)
    expect(b.readUInt32BE(4)).toBe(600)
    expect(b.subarray(24, 36)).toEqual(nonce)
    expect(b[36]).toBe(17)
    expect(b.readUInt16BE(40)).toBe(40000)
    expect(b.readUInt16BE(42)).toBe(40000)
    expect(decodeAddress(b.subarray(44, 60))).toBe('0.0.0.0')
  })

  it('decodes a MAP answer', () => {
    const payload = Buffer.alloc(36)
    payload.write('0102030405060708090a0b0c', 'hex')
    payload[12] = 17
    payload.writeUInt16BE(40000, 16)
    payload.writeUInt16BE(40002, 18)
    encodeAddress('203.0.113.11').copy(payload, 20)
    expect(decodeResponse(response(1, 0, payload), PCP_OPCODE.map)).toMatchObject({
      ok: true,
      value: { resultCode: 0, lifetimeS: 120, epoch: 77, map: { protocol: 17, internalPort: 40000, externalPort: 40002, externalAddress: '203.0.113.11' } }
    })
  })

  it.each([
    ['success', response(0, 0), { ok: true }],
    ['not authorized', response(0, 2), { ok: false, resultCode: 2, reason: 'PCP refused: not authorized' }],
    ['address mismatch', response(0, 12), { ok: false, resultCode: 12, reason: expect.stringMatching(/address mismatch/) }],
    ['NAT-PMP only', Buffer.from('00800001000000100000000000000000', 'hex'), { ok: false, resultCode: 1, reason: expect.stringMatching(/speaks NAT-PMP, not PCP/) }],
    ['too short', Buffer.from('0280', 'hex'), { ok: false, reason: expect.stringMatching(/too short/) }],
    ['version 3', Buffer.concat([Buffer.from([3, 0x80]), Buffer.alloc(22)]), { ok: false, reason: expect.stringMatching(/not a PCP answer \(version 3\)/) }],
    ['a request', encodeAnnounce('10.1.0.2'), { ok: false, reason: 'a PCP request, not an answer' }],
    ['another opcode', response(1, 0), { ok: false, reason: expect.stringMatching(/another request/) }],
    ['odd length', Buffer.concat([response(0, 0), Buffer.from([1])]), { ok: false, reason: expect.stringMatching(/malformed/) }],
    ['garbage', Buffer.alloc(40, 0x41), { ok: false, reason: expect.stringMatching(/not a PCP answer/) }]
  ])('decodes an ANNOUNCE answer: %s', (_name, bytes, want) => {
    expect(decodeResponse(bytes, PCP_OPCODE.announce)).toMatchObject(want)
  })

  it('a MAP answer without its payload is too short', () => {
    expect(decodeResponse(response(1, 0), PCP_OPCODE.map)).toMatchObject({ ok: false, reason: expect.stringMatching(/MAP answer too short/) })
  })
})
