// The page's small pure parts: the host and the page must agree on the probe, candidate lines and
// verdict words (one copy of each, in src/shared; test/core/werift/candidates.test.ts checks the
// candidate lines against werift's own parser).
import { describe, expect, it } from 'vitest'
import { SideAssembler, chunkSide, decodeProbe, encodeProbe } from '../../src/shared/probe'
import { parseCandidateLine, isMdnsName } from '../../src/shared/protocol/candidateLine'
import { HIDDEN_ADDRESS, readStats, type StatsEntry } from '../../src/joinpage/stats'

describe('probe messages (src/shared/probe.ts, used by the page and the engine alike)', () => {
  it('a side chunked on one end is reassembled on the other, however large', () => {
    for (const size of [10, 16 * 1024, 70_000]) {
      const side = { role: 'join', blob: 'x'.repeat(size), events: [{ kind: 'probe', atMs: 1, rttMs: 0.5 }] }
      const assembler = new SideAssembler()
      let got: unknown
      for (const part of chunkSide(side)) {
        const decoded = decodeProbe(encodeProbe(part))
        expect(decoded?.t).toBe('side')
        got = assembler.add(decoded as Extract<typeof decoded, { t: 'side' }>)
      }
      expect(got).toEqual(side)
    }
  })

  it('round-trips pings, pongs and done, and refuses what is not one', () => {
    for (const m of [{ t: 'ping', id: 3, ts: 1700000000000 }, { t: 'pong', id: 3, ts: 1700000000000 }, { t: 'done' }] as const) {
      expect(decodeProbe(encodeProbe(m))).toEqual(m)
    }
    expect(decodeProbe('{"t":"ping","id":1.5,"ts":1}')).toBeUndefined()
    expect(decodeProbe('not json')).toBeUndefined()
    expect(decodeProbe(new ArrayBuffer(4))).toBeUndefined()
  })
})

describe('candidate lines', () => {
  const lines = [
    'candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.20 rport 61665 generation 0 ufrag abcd network-cost 999',
    'candidate:1 1 udp 2130706431 192.168.1.20 54321 typ host',
    'a=candidate:2 1 UDP 2122260223 fd00::2 40000 typ host generation 0',
    'candidate:3 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0',
    'candidate:4 1 udp 41885439 198.51.100.9 50000 typ relay raddr 203.0.113.7 rport 61665',
    'candidate:5 1 udp 1845501695 10.0.0.3 3000 typ prflx raddr 0.0.0.0 rport 0'
  ]

  it('keeps the server that produced reflexive and relay candidates', () => {
    expect(parseCandidateLine(lines[0]!, 0, { stun: '127.0.0.1:8080' })?.server).toBe('127.0.0.1:8080')
    expect(parseCandidateLine(lines[1]!, 0, { stun: '127.0.0.1:8080' })?.server).toBeUndefined()
  })

  it('refuses what is not a candidate, and spots mDNS names', () => {
    for (const bad of ['', 'candidate:', 'candidate:1 1 udp x 1.2.3.4 5 typ host', 'candidate:1 1 udp 1 1.2.3.4 5 typ bogus', 'candidate:1 1 udp 1 1.2.3.4 5 type host']) {
      expect(parseCandidateLine(bad, 0), bad).toBeUndefined()
    }
    const mdns = parseCandidateLine('candidate:9 1 udp 2122260223 60cb3196-4c3f-4729-8dda-c7b41c045a3b.local 39443 typ host', 0)
    expect(mdns && isMdnsName(mdns.address)).toBe(true)
    expect(isMdnsName('192.168.1.20')).toBe(false)
  })
})

describe('getStats', () => {
  const local = { id: 'L1', type: 'local-candidate', address: '192.0.2.2', port: 5000, protocol: 'udp', candidateType: 'host' }
  const remote = { id: 'R1', type: 'remote-candidate', address: '192.0.2.3', port: 6000, protocol: 'udp', candidateType: 'prflx' }
  const pair = { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded', nominated: true, currentRoundTripTime: 0.0123, requestsSent: 4, responsesReceived: 3 }
  const other = { id: 'P2', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R2', state: 'in-progress', nominated: false }
  const remote2 = { id: 'R2', type: 'remote-candidate', ip: '198.51.100.1', port: 7000, protocol: 'udp', candidateType: 'srflx' }

  it('reads pairs and the selected pair as Chromium reports them', () => {
    const view = readStats([local, remote, remote2, pair, other, { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' }] as StatsEntry[])
    expect(view.selected).toEqual({ local: { type: 'host', protocol: 'udp', address: '192.0.2.2', port: 5000 }, remote: { type: 'prflx', protocol: 'udp', address: '192.0.2.3', port: 6000 } })
    expect(view.pairs).toHaveLength(2)
    expect(view.pairs[0]).toMatchObject({ id: '192.0.2.2:5000/udp-192.0.2.3:6000', state: 'succeeded', nominated: true, rttMs: 12.3, requestsSent: 4, responsesReceived: 3 })
    // Older browsers name the address `ip`.
    expect(view.pairs[1]).toMatchObject({ remote: { address: '198.51.100.1', type: 'srflx' }, state: 'in-progress', requestsSent: 0 })
  })

  it('finds the selected pair as Firefox flags it, or by nomination', () => {
    expect(readStats([local, remote, { ...pair, selected: true, nominated: false }] as StatsEntry[]).selected?.remote.port).toBe(6000)
    expect(readStats([local, remote, pair] as StatsEntry[]).selected?.remote.port).toBe(6000)
    expect(readStats([local, remote, { ...pair, nominated: false }] as StatsEntry[]).selected).toBeNull()
    expect(readStats([remote, pair] as StatsEntry[]).pairs).toEqual([])
  })

  it('keeps a pair whose remote address the browser hides (Chromium, prflx)', () => {
    const hidden = { id: 'R1', type: 'remote-candidate', port: 6000, protocol: 'udp', candidateType: 'prflx' }
    const view = readStats([local, hidden, pair, { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' }] as StatsEntry[])
    expect(view.selected?.remote).toEqual({ type: 'prflx', protocol: 'udp', address: HIDDEN_ADDRESS, port: 6000 })
  })

  it('names a hidden end by the candidate signaled for it (an mDNS host candidate)', () => {
    const mdns = parseCandidateLine('candidate:9 1 udp 2122260223 60cb3196-4c3f-4729-8dda-c7b41c045a3b.local 5000 typ host', 0)!
    const view = readStats([{ ...local, address: undefined }, remote, pair, { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' }] as StatsEntry[], { local: [mdns], remote: [] })
    expect(view.selected?.local.address).toBe(mdns.address)
  })
})
