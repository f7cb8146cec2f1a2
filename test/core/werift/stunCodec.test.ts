import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createRequire } from 'node:module'
import { Message, classes, methods } from 'werift'
import { buildBindingRequest, parseStunPacket, MAX_STUN_PACKET } from '../../../src/core/werift/stunCodec'

function response(tx: Buffer, attrs: (m: Message) => void = () => {}): Buffer {
  const m = new Message(methods.BINDING, classes.RESPONSE, tx)
  attrs(m)
  return m.bytes
}

describe('STUN codec', () => {
  it('builds Binding requests with CHANGE-REQUEST flags and a fingerprint', () => {
    for (const [changeIp, changePort, flags] of [
      [false, false, undefined],
      [true, true, { ip: true, port: true }],
      [false, true, { ip: false, port: true }],
      [true, false, { ip: true, port: false }]
    ] as const) {
      const req = buildBindingRequest({ changeIp, changePort })
      expect(req.bytes.length % 4).toBe(0)
      const parsed = parseStunPacket(req.bytes)
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) continue
      expect(parsed.message.kind).toBe('request')
      expect(parsed.message.txid).toBe(req.txid)
      expect(parsed.message.changeRequest).toEqual(flags)
    }
  })

  it('reads XOR-MAPPED-ADDRESS, OTHER-ADDRESS and RESPONSE-ORIGIN, IPv4 and IPv6', () => {
    const tx = Buffer.alloc(12, 1)
    const v4 = parseStunPacket(
      response(tx, (m) => {
        m.setAttribute('XOR-MAPPED-ADDRESS', ['198.51.100.7', 40000])
        m.setAttribute('OTHER-ADDRESS', ['203.0.113.3', 3479])
        m.setAttribute('RESPONSE-ORIGIN', ['203.0.113.2', 3478])
      })
    )
    expect(v4).toEqual({
      ok: true,
      message: {
        kind: 'success',
        method: methods.BINDING,
        txid: tx.toString('hex'),
        mapped: { address: '198.51.100.7', port: 40000 },
        otherAddress: { address: '203.0.113.3', port: 3479 },
        responseOrigin: { address: '203.0.113.2', port: 3478 }
      }
    })
    const v6 = parseStunPacket(response(tx, (m) => m.setAttribute('XOR-MAPPED-ADDRESS', ['2001:db8:0:0:0:0:0:1', 5])))
    expect(v6.ok && v6.message.mapped).toEqual({ address: '2001:db8::1', port: 5 })
  })

  it('falls back to RFC 3489 MAPPED-ADDRESS and CHANGED-ADDRESS', () => {
    const parsed = parseStunPacket(
      response(Buffer.alloc(12, 2), (m) => {
        m.setAttribute('MAPPED-ADDRESS', ['198.51.100.8', 1])
        m.setAttribute('CHANGED-ADDRESS', ['203.0.113.9', 2])
      })
    )
    expect(parsed.ok && parsed.message.mapped).toEqual({ address: '198.51.100.8', port: 1 })
    expect(parsed.ok && parsed.message.otherAddress).toEqual({ address: '203.0.113.9', port: 2 })
  })

  it('reads error responses', () => {
    const m = new Message(methods.BINDING, classes.ERROR, Buffer.alloc(12, 3))
    m.setAttribute('ERROR-CODE', [420, 'Unknown Attribute'])
    const parsed = parseStunPacket(m.bytes)
    expect(parsed.ok && parsed.message.kind).toBe('error')
    expect(parsed.ok && parsed.message.error).toEqual({ code: 420, reason: 'Unknown Attribute' })
  })

  const tx = Buffer.alloc(12, 9)
  const valid = response(tx, (m) => m.setAttribute('XOR-MAPPED-ADDRESS', ['192.0.2.1', 1234]))
  const hostile: Array<[string, Buffer, RegExp]> = [
    ['empty', Buffer.alloc(0), /truncated/],
    ['truncated header', valid.subarray(0, 19), /truncated/],
    ['truncated attributes', valid.subarray(0, valid.length - 4), /length field/],
    ['wrong magic cookie', Buffer.concat([valid.subarray(0, 4), Buffer.from([1, 2, 3, 4]), valid.subarray(8)]), /cookie/],
    ['length field too long', (() => { const b = Buffer.from(valid); b.writeUInt16BE(valid.length, 2); return b })(), /length field/],
    ['length not a multiple of 4', (() => { const b = Buffer.from(valid); b.writeUInt16BE(3, 2); return b })(), /multiple of 4/],
    ['attribute longer than the packet', (() => { const b = Buffer.from(valid); b.writeUInt16BE(200, 22); return b })(), /malformed/],
    ['first bits set (RTP/DTLS)', (() => { const b = Buffer.from(valid); b[0] = 0x80; return b })(), /not STUN/],
    ['oversized', Buffer.concat([valid, Buffer.alloc(MAX_STUN_PACKET)]), /oversized/],
    ['unknown comprehension-required attribute', new Message(methods.BINDING, classes.RESPONSE, tx).appendRawAttribute(0x7ffe, Buffer.alloc(4)).bytes, /comprehension-required attribute 0x7ffe/],
    ['XOR-MAPPED-ADDRESS with a bad family', (() => { const b = Buffer.from(valid); b[25] = 9; return b })(), /malformed/],
    ['XOR-MAPPED-ADDRESS too short', Buffer.concat([(() => { const h = Buffer.from(valid.subarray(0, 20)); h.writeUInt16BE(8, 2); return h })(), Buffer.from([0x00, 0x20, 0x00, 0x02, 0, 1, 0, 0])]), /malformed/],
    ['bad fingerprint', (() => { const m = new Message(methods.BINDING, classes.RESPONSE, tx); m.addFingerprint(); const b = Buffer.from(m.bytes); b[b.length - 1] = b[b.length - 1]! ^ 0xff; return b })(), /malformed/]
  ]
  it.each(hostile)('rejects %s with a reason, without throwing', (_name, data, reason) => {
    const parsed = parseStunPacket(data)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.reason).toMatch(reason)
  })

  it('keeps unknown comprehension-optional attributes harmless', () => {
    const data = new Message(methods.BINDING, classes.RESPONSE, tx).appendRawAttribute(0xc0ff, Buffer.alloc(3)).bytes
    expect(parseStunPacket(data).ok).toBe(true)
  })
})

describe('STUN parser fuzz (fast-check)', () => {
  const check = (data: Buffer) => {
    const parsed = parseStunPacket(data)
    expect(typeof parsed.ok).toBe('boolean')
    if (!parsed.ok) expect(typeof parsed.reason).toBe('string')
    else expect(parsed.message.txid).toMatch(/^[0-9a-f]{24}$/)
  }

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => check(Buffer.from(bytes))), { numRuns: 2000 })
  })

  it('never throws on a valid header followed by random attributes (consistent or lying lengths)', () => {
    const attribute = fc.record({
      type: fc.oneof(fc.constantFrom(0x0001, 0x0003, 0x0009, 0x000a, 0x0020, 0x802b, 0x802c, 0x8028, 0x0008, 0x8022), fc.integer({ min: 0, max: 0xffff })),
      value: fc.uint8Array({ maxLength: 40 }),
      lie: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined })
    })
    fc.assert(
      fc.property(fc.constantFrom(0x0001, 0x0101, 0x0111, 0x0011, 0x0003, 0x3fff), fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.array(attribute, { maxLength: 8 }), fc.boolean(), (type, txid, attrs, fixLength) => {
        const body = Buffer.concat(
          attrs.map((a) => {
            const h = Buffer.alloc(4)
            h.writeUInt16BE(a.type, 0)
            h.writeUInt16BE(a.lie ?? a.value.length, 2)
            const pad = (4 - (a.value.length % 4)) % 4
            return Buffer.concat([h, Buffer.from(a.value), Buffer.alloc(pad)])
          })
        )
        const header = Buffer.alloc(20)
        header.writeUInt16BE(type, 0)
        header.writeUInt16BE(fixLength ? body.length & 0xffff : (body.length + 4) & 0xffff, 2)
        header.writeUInt32BE(0x2112a442, 4)
        Buffer.from(txid).copy(header, 8)
        check(Buffer.concat([header, body]))
      }),
      { numRuns: 3000 }
    )
  })

  it('never throws on bit flips and truncations of valid responses', () => {
    const base = response(Buffer.alloc(12, 5), (m) => {
      m.setAttribute('XOR-MAPPED-ADDRESS', ['2001:db8::5', 4242])
      m.setAttribute('OTHER-ADDRESS', ['203.0.113.3', 3479])
      m.setAttribute('ERROR-CODE', [420, 'x'])
      m.addFingerprint()
    })
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }), fc.nat(base.length), (flips, cut) => {
        const b = Buffer.from(base)
        for (const [at, x] of flips) b[at]! ^= x
        check(b.subarray(0, cut))
        check(b)
      }),
      { numRuns: 3000 }
    )
  })
})

describe('werift codec loading', () => {
  it("loads werift's STUN files directly (not the whole WebRTC stack): the classes of werift's CommonJS entry", async () => {
    const { codec, codecSource } = await import('../../../src/core/werift/stunLoad')
    expect(codecSource).toBe('direct')
    const cjs = createRequire(import.meta.url)('werift') as typeof import('werift')
    expect(codec.Message).toBe(cjs.Message)
    expect(codec.methods.BINDING).toBe(methods.BINDING)
    // Bytes from werift's ESM build (what other modules import) parse the same.
    const m = new Message(methods.BINDING, classes.RESPONSE, Buffer.alloc(12, 4))
    m.setAttribute('XOR-MAPPED-ADDRESS', ['192.0.2.4', 4])
    expect(codec.parseMessage(m.bytes)?.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual(['192.0.2.4', 4])
  })
})
