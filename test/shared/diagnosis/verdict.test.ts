import { describe, expect, it } from 'vitest'
import { decideVerdict, tunneledResult } from '../../../src/shared/diagnosis/verdict'
import { comparePrediction } from '../../../src/shared/diagnosis/prediction'
import type { CandidateRef } from '../../../src/shared/session'

const c = (type: CandidateRef['type']): CandidateRef => ({ type, protocol: 'udp', address: '192.0.2.1', port: 1 })

describe('verdict', () => {
  it.each([
    ['host', 'host', 'direct'],
    ['srflx', 'prflx', 'direct'],
    ['relay', 'host', 'relayed'],
    ['srflx', 'relay', 'relayed'],
    ['relay', 'relay', 'relayed']
  ] as const)('%s <-> %s is %s', (local, remote, verdict) => {
    const v = decideVerdict({ selectedPair: { local: c(local), remote: c(remote) }, channelWorks: true })
    expect(v.verdict).toBe(verdict)
    expect(v.reason.length).toBeGreaterThan(10)
  })

  it('is failed when no channel worked, whatever the pair, with the failure as reason', () => {
    expect(decideVerdict({ selectedPair: { local: c('host'), remote: c('host') }, channelWorks: false, failure: 'ICE failed' })).toEqual({ verdict: 'failed', reason: 'ICE failed' })
    expect(decideVerdict({ selectedPair: null, channelWorks: true }).verdict).toBe('failed')
  })

  it('says why without repeating the verdict word the renderings put before it', () => {
    const pair = { local: { ...c('host'), address: '192.0.2.2', port: 47723 }, remote: { ...c('srflx'), address: '2001:db8::1', port: 5 } }
    const v = decideVerdict({ selectedPair: pair, channelWorks: true })
    expect(v.reason).toBe('the two sides reach each other without a relay, over host 192.0.2.2:47723 <-> srflx [2001:db8::1]:5 (udp)')
    for (const s of ['host', 'srflx', 'prflx', 'relay'] as const) {
      const r = decideVerdict({ selectedPair: { local: c(s), remote: c('host') }, channelWorks: true })
      expect(r.reason).not.toMatch(new RegExp(`\\b${r.verdict}\\b`))
    }
  })
})

describe('tunneled: a path inside a VPN tunnel is never called direct', () => {
  const pair = { local: c('host'), remote: c('host') }

  it('a non-relayed pair on a VPN-like interface is tunneled, naming the tunnel', () => {
    const v = decideVerdict({ selectedPair: pair, channelWorks: true, tunnel: 'wt0' })
    expect(v.verdict).toBe('tunneled')
    expect(v.reason).toMatch(/^through the VPN tunnel wt0, not a direct internet path, over host 192\.0\.2\.1:1 <-> host/)
  })

  it('a relayed pair stays relayed (the relay is the path), and says how TURN was reached', () => {
    const v = decideVerdict({ selectedPair: { local: c('relay'), remote: c('host') }, channelWorks: true, tunnel: 'wt0', relayTransport: 'tcp' })
    expect(v).toEqual({ verdict: 'relayed', reason: 'the selected pair goes through a TURN relay (relay candidate on this side, TURN reached over TCP)' })
    expect(decideVerdict({ selectedPair: { local: c('relay'), remote: c('host') }, channelWorks: true, relayTransport: 'tls' }).reason).toMatch(/over TLS\)$/)
    // The other side's relay: this side does not know how it was reached.
    expect(decideVerdict({ selectedPair: { local: c('host'), remote: c('relay') }, channelWorks: true, relayTransport: 'udp' }).reason).not.toMatch(/reached over/)
  })

  it('tunneledResult turns a direct result tunneled once the route is known, keeping a prediction note', () => {
    const direct = { ...decideVerdict({ selectedPair: pair, channelWorks: true }), selectedPair: pair }
    const withNote = { ...direct, reason: `${direct.reason}. As predicted: direct` }
    const t = tunneledResult(withNote, 'wg0')
    expect(t.verdict).toBe('tunneled')
    expect(t.reason).toMatch(/^through the VPN tunnel wg0, not a direct internet path, over host 192\.0\.2\.1:1 <-> host 192\.0\.2\.1:1 \(udp\)\. As predicted: direct$/)
    expect(tunneledResult(direct, null)).toBe(direct)
    const attempts = [
      { used: true, verdict: 'direct' as const },
      { used: false, verdict: 'relayed' as const }
    ]
    expect(tunneledResult({ ...direct, attempts }, 'wt0').attempts).toEqual([{ used: true, verdict: 'tunneled' }, { used: false, verdict: 'relayed' }])
    const relayed = { verdict: 'relayed' as const, reason: 'r', selectedPair: pair }
    expect(tunneledResult(relayed, 'wt0')).toBe(relayed)
  })

  it('a tunneled outcome neither confirms nor refutes the prediction (it is about the internet path)', () => {
    expect(comparePrediction('direct', 'tunneled')).toMatchObject({ agrees: null, text: expect.stringMatching(/inside a VPN tunnel/) })
    expect(comparePrediction('relayed', 'tunneled').agrees).toBeNull()
  })
})
