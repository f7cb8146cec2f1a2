import { describe, expect, it } from 'vitest'
import { formatInvite, parseInvite } from '../../../src/core/signaling/invite'
import { decodeBlob, encodeBlob } from '../../../src/core/signaling/manual'

describe('invites', () => {
  it.each([
    ['http://192.0.2.1:8080/join/abc_DEF-1#s3cr3t', { server: 'http://192.0.2.1:8080/', room: 'abc_DEF-1', secret: 's3cr3t' }],
    ['https://signal.example.com/peerlens/join/r1#x', { server: 'https://signal.example.com/peerlens/', room: 'r1', secret: 'x' }],
    ['  http://[::1]:9/join/r#s  ', { server: 'http://[::1]:9/', room: 'r', secret: 's' }]
  ])('parses %s', (text, expected) => {
    expect(parseInvite(text)).toEqual(expected)
  })

  it.each([
    ['not a url', /not an invite/],
    ['ftp://x/join/r#s', /http or https/],
    ['http://x/rooms/r#s', /no \/join\/ROOM/],
    ['http://x/join/r', /no #SECRET/],
    ['http://x/join/<script>#s', /no \/join\/ROOM/],
    ['http://x/join/r#abc%', /#SECRET part is damaged/],
    ['http://x/join/r#%E0%A4%A', /#SECRET part is damaged/]
  ])('refuses %s', (text, reason) => {
    expect(() => parseInvite(text)).toThrow(reason)
  })

  it('round-trips, keeping a path prefix', () => {
    const url = formatInvite('https://h.example/pl', 'room1', 'sec')
    expect(url).toBe('https://h.example/pl/join/room1#sec')
    expect(parseInvite(url)).toEqual({ server: 'https://h.example/pl/', room: 'room1', secret: 'sec' })
  })
})

describe('manual blobs', () => {
  it('round-trips messages', () => {
    const messages = [
      { type: 'offer', data: { type: 'offer', sdp: 'v=0\r\n'.repeat(50) } },
      { type: 'candidate', data: null }
    ]
    const blob = encodeBlob(messages)
    expect(blob).toMatch(/^PL1:[A-Za-z0-9_-]+$/)
    expect(decodeBlob(blob)).toEqual(messages)
  })

  it.each(['PL1:', 'PL1:!!!!', 'hello', 'PL1:' + Buffer.from('[]').toString('base64url'), encodeBlob([{ type: 'BAD', data: 1 }])])('refuses a damaged blob %#', (text) => {
    expect(() => decodeBlob(text)).toThrow()
  })
})
