import { describe, expect, it } from 'vitest'
import { eventLine } from '../../src/cli/format'

describe('CLI progress lines', () => {
  it('stamps the shared event text with the session clock', () => {
    expect(eventLine({ kind: 'warning', atMs: 1500, message: 'wt0 looks like a VPN' })).toBe('[  1.500s] warning: wt0 looks like a VPN')
    expect(eventLine({ kind: 'channel-open', atMs: 12 })).toBe('[  0.012s] data channel open')
    // The answer as soon as it is known, before the figures.
    expect(eventLine({ kind: 'verdict', atMs: 540, verdict: 'relayed', reason: 'the selected pair goes through a TURN relay', attempt: 2 })).toBe(
      '[  0.540s] verdict: relayed: the selected pair goes through a TURN relay (measuring the path now)'
    )
  })

  it('leaves out what is too chatty for a terminal', () => {
    expect(eventLine({ kind: 'probe', atMs: 1, rttMs: 2 })).toBeUndefined()
    expect(eventLine({ kind: 'attempt', atMs: 1, attempt: 1, policy: 'all', outcome: 'started' })).toBeUndefined()
    expect(eventLine({ kind: 'attempt', atMs: 1, attempt: 2, policy: 'relay', outcome: 'started' })).toBe('[  0.001s] attempt 2 (relay) started')
  })

  it('prints the run lines without a stamp', () => {
    expect(eventLine({ kind: 'waiting', atMs: 1, detail: 'waiting for the joiner' })).toBe('waiting for the joiner...')
    expect(eventLine({ kind: 'servers', atMs: 1, probes: [{ url: 'stun:s:3478', kind: 'stun', transport: 'udp', reachable: true, rttMs: 12, mapped: { address: '198.51.100.7', port: 5000 } }] })).toBe(
      'server stun:s:3478: ok, 12 ms, sees us as 198.51.100.7:5000'
    )
  })
})
