// The one candidate-line parser (src/shared/protocol/candidateLine.ts) reads lines as werift does:
// werift writes the engine's local candidates and the browser's arrive in the same format.
import { describe, expect, it } from 'vitest'
import { Candidate } from 'werift'
import { parseCandidateLine } from '../../../src/shared/protocol/candidateLine'
import { candidateRef } from '../../../src/core/werift/candidates'

const lines = [
  'candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.20 rport 61665 generation 0 ufrag abcd network-cost 999',
  'candidate:1 1 udp 2130706431 192.168.1.20 54321 typ host',
  'a=candidate:2 1 UDP 2122260223 fd00::2 40000 typ host generation 0',
  'candidate:3 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0',
  'candidate:4 1 udp 41885439 198.51.100.9 50000 typ relay raddr 203.0.113.7 rport 61665',
  'candidate:5 1 udp 1845501695 10.0.0.3 3000 typ prflx raddr 0.0.0.0 rport 0'
]

describe('candidate lines against werift', () => {
  it.each(lines)('%s', (line) => {
    const w = Candidate.fromSdp(line.replace(/^a=/, '').replace(/^candidate:/, ''))
    const c = parseCandidateLine(line, 0)
    expect(c).toMatchObject({ type: w.type, address: w.host, port: w.port, priority: w.priority, foundation: w.foundation, component: w.component })
    expect(c?.protocol).toBe(w.transport.toLowerCase())
    expect(c?.relatedAddress).toEqual(w.relatedAddress !== undefined ? { address: w.relatedAddress, port: w.relatedPort } : undefined)
    expect(c?.tcpType).toBe(w.tcptype)
    // A werift candidate, written back as a line, reads as the same candidate.
    expect(parseCandidateLine(`candidate:${w.toSdp()}`, 0)).toEqual(c)
    expect(candidateRef(w)).toEqual({ type: c!.type, protocol: c!.protocol, address: c!.address, port: c!.port })
  })
})
