import { describe, expect, it } from 'vitest'
import { parseStunServer } from '../../../src/core/stun/url'
import { canonicalIp, formatEndpoint, sameEndpoint } from '../../../src/core/stun/address'

describe('parseStunServer', () => {
  it.each([
    ['stun:203.0.113.2:3478', '203.0.113.2', 3478],
    ['stun:stun.example.org', 'stun.example.org', 3478],
    ['203.0.113.2:19302', '203.0.113.2', 19302],
    ['stun.example.org:3479', 'stun.example.org', 3479],
    ['localhost', 'localhost', 3478],
    ['[2001:db8::2]:3478', '2001:db8::2', 3478],
    ['stun:[2001:db8::2]:5000', '2001:db8::2', 5000],
    ['2001:db8::2', '2001:db8::2', 3478],
    ['STUN:host:1?transport=udp', 'host', 1]
  ])('%s', (text, host, port) => {
    expect(parseStunServer(text)).toEqual({ host, port })
  })

  it.each([
    ['', /empty/],
    ['turn:203.0.113.2:3478', /plain UDP STUN/],
    ['stuns:host:5349', /plain UDP STUN/],
    ['stun://host:3478', /without \/\//],
    ['host:0', /bad port/],
    ['host:70000', /bad port/],
    ['stun:host:3478?transport=tcp', /over UDP/],
    ['host name:1', /bad STUN server/],
    ['[nonsense]:1', /bad/]
  ])('refuses %j', (text, reason) => {
    expect(() => parseStunServer(text)).toThrow(reason)
  })
})

describe('addresses', () => {
  it('compares spellings of the same address', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(sameEndpoint({ address: '2001:db8::1', port: 1 }, { address: '2001:0db8::0001', port: 1 })).toBe(true)
    expect(sameEndpoint({ address: '192.0.2.1', port: 1 }, { address: '192.0.2.1', port: 2 })).toBe(false)
    expect(formatEndpoint({ address: '2001:db8::1', port: 3478 })).toBe('[2001:db8::1]:3478')
  })
})
