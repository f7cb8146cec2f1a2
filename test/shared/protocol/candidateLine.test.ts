import { describe, expect, it } from 'vitest'
import { baseAddress, isCandidateType, parseCandidateLine } from '../../../src/shared/protocol/candidateLine'

describe('parseCandidateLine', () => {
  it.each([
    ['candidate:1 1 udp 2130706431 192.168.1.20 54321 typ host', { type: 'host', protocol: 'udp', address: '192.168.1.20', port: 54321, priority: 2130706431, foundation: '1', component: 1 }],
    ['a=candidate:2 1 UDP 2122260223 fd00::2 40000 typ host generation 0', { type: 'host', protocol: 'udp', address: 'fd00::2', port: 40000 }],
    ['candidate:3 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active', { protocol: 'tcp', tcpType: 'active' }],
    ['candidate:4 1 udp 41885439 198.51.100.9 50000 typ relay raddr 203.0.113.7 rport 61665', { type: 'relay', relatedAddress: { address: '203.0.113.7', port: 61665 }, server: 'turn.example:3478' }],
    ['candidate:5 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.20 rport 61665', { type: 'srflx', server: 'stun.example:3478' }],
    ['  candidate:6 1 udp 1 10.0.0.3 3000 typ prflx raddr 0.0.0.0 rport 0', { type: 'prflx', relatedAddress: { address: '0.0.0.0', port: 0 } }]
  ])('%s', (line, expected) => {
    const c = parseCandidateLine(line, 42, { stun: 'stun.example:3478', turn: 'turn.example:3478' })
    expect(c).toMatchObject({ atMs: 42, ...expected })
  })

  it.each([
    '',
    'candidate:',
    'candidate:1 1 udp x 1.2.3.4 5 typ host',
    'candidate:1 1 udp 1 1.2.3.4 5 typ bogus',
    'candidate:1 1 udp 1 1.2.3.4 5 type host',
    'candidate:1 1 udp 1 1.2.3.4 -5 typ host',
    'candidate:1 1 udp 1 1.2.3.4 5'
  ])('refuses %j', (line) => {
    expect(parseCandidateLine(line, 0)).toBeUndefined()
  })

  it('leaves out a related address whose port is not a number', () => {
    const c = parseCandidateLine('candidate:6 1 udp 1 10.0.0.3 3000 typ prflx raddr 0.0.0.0 rport x', 0)
    expect(c?.type).toBe('prflx')
    expect(c && 'relatedAddress' in c).toBe(false)
  })

  it('names no server for host candidates, and none when not given', () => {
    expect(parseCandidateLine('candidate:1 1 udp 1 10.0.0.1 5 typ host', 0, { stun: 's:1' })?.server).toBeUndefined()
    expect(parseCandidateLine('candidate:1 1 udp 1 1.2.3.4 5 typ srflx raddr 10.0.0.1 rport 5', 0)?.server).toBeUndefined()
  })
})

describe('candidate helpers', () => {
  it.each([
    [{ type: 'host', address: '10.0.0.1' }, '10.0.0.1'],
    [{ type: 'srflx', address: '1.2.3.4', relatedAddress: { address: '10.0.0.1', port: 5 } }, '10.0.0.1'],
    [{ type: 'relay', address: '1.2.3.4' }, undefined]
  ] as const)('base address of %j', (c, base) => {
    expect(baseAddress(c)).toBe(base)
  })

  it('knows the four candidate types', () => {
    expect(['host', 'srflx', 'prflx', 'relay', 'x', 1].map(isCandidateType)).toEqual([true, true, true, true, false, false])
  })
})
