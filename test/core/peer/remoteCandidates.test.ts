import { describe, expect, it } from 'vitest'
import { mediaSections, refusedSummary, sdpCandidates, targetFor, withAddress, withoutMdnsCandidates } from '../../../src/core/peer/remoteCandidates'
import type { CandidateInfo } from '../../../src/shared/session'

const SDP = ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=ice-ufrag:sess', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', 'a=ice-ufrag:abcd',
  'a=candidate:1 1 udp 2122260223 10.0.0.2 5000 typ host', 'a=candidate:2 1 udp 2122260223 0b1c.local 5001 typ host', 'a=end-of-candidates', ''].join('\r\n')

const cand = (over: Partial<CandidateInfo>): CandidateInfo => ({ type: 'host', protocol: 'udp', address: '10.0.0.2', port: 5000, priority: 1, foundation: '1', component: 1, atMs: 0, ...over })

describe('remote candidates from other stacks', () => {
  it('reads the media sections of a description', () => {
    expect(mediaSections(SDP)).toEqual([{ mid: '0', ufrag: 'abcd' }])
  })

  it('falls back from an empty or unknown sdpMid to sdpMLineIndex, and to the first section', () => {
    const line = 'candidate:1 1 udp 1 10.0.0.3 4000 typ host'
    expect(targetFor({ candidate: line, sdpMid: '0', sdpMLineIndex: 0 }, SDP)).toEqual({ candidate: line, sdpMid: '0' })
    expect(targetFor({ candidate: line, sdpMid: '', sdpMLineIndex: 0 }, SDP)).toEqual({ candidate: line, sdpMLineIndex: 0 })
    expect(targetFor({ candidate: line, sdpMid: 'audio', sdpMLineIndex: 7 }, SDP)).toEqual({ candidate: line, sdpMLineIndex: 0 })
    expect(targetFor({ candidate: line }, SDP)).toEqual({ candidate: line, sdpMLineIndex: 0 })
    expect(targetFor({ candidate: line, usernameFragment: null }, SDP)).toEqual({ candidate: line, sdpMLineIndex: 0 })
    expect(targetFor({ candidate: line, usernameFragment: 'abcd' }, SDP)).toMatchObject({ usernameFragment: 'abcd' })
  })

  it('finds the candidates in a description and its end marker; takes the mDNS ones out', () => {
    expect(sdpCandidates(SDP)).toEqual({ lines: ['candidate:1 1 udp 2122260223 10.0.0.2 5000 typ host', 'candidate:2 1 udp 2122260223 0b1c.local 5001 typ host'], complete: true })
    const { sdp, mdns } = withoutMdnsCandidates(SDP)
    expect(mdns).toEqual(['candidate:2 1 udp 2122260223 0b1c.local 5001 typ host'])
    expect(sdp).not.toMatch(/\.local/)
    expect(sdp).toMatch(/10\.0\.0\.2 5000/)
    expect(withAddress('candidate:2 1 udp 2122260223 0b1c.local 5001 typ host', '192.168.1.5')).toBe('candidate:2 1 udp 2122260223 192.168.1.5 5001 typ host')
  })

  it('says how many of the other side\'s candidates were refused, leaving hidden mDNS names out', () => {
    expect(refusedSummary([cand({})])).toBeUndefined()
    expect(refusedSummary([cand({ address: 'x.local', refused: 'mDNS name not resolved' })])).toBeUndefined()
    expect(refusedSummary([cand({ refused: 'bad mid' }), cand({ port: 2, refused: 'bad mid' })])).toBe("the other side's 2 candidates were refused: bad mid")
    expect(refusedSummary([cand({ refused: 'x' })])).toBe("the other side's only candidate was refused: x")
    expect(refusedSummary([cand({ refused: 'x' }), cand({ port: 2 })])).toBe("1 of the other side's candidates were refused: x")
  })
})
