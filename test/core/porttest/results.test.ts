import { describe, expect, it } from 'vitest'
import { combinePort, portTargets } from '../../../src/core/porttest/results'
import type { CandidateInfo } from '../../../src/shared/session'

describe('port test targets', () => {
  it('sends to every candidate address but relays, hidden names and IPv6', () => {
    const c = (type: CandidateInfo['type'], address: string): CandidateInfo => ({ type, address, port: 1, protocol: 'udp', priority: 1, foundation: 'f', component: 1, atMs: 0 })
    expect(portTargets([c('host', '10.0.0.2'), c('srflx', '198.51.100.7'), c('relay', '203.0.113.2'), c('host', 'x.local'), c('host', 'fd00::1'), c('prflx', '198.51.100.7')])).toEqual(['10.0.0.2', '198.51.100.7'])
  })
})

describe('combining both halves', () => {
  const half = (over: Partial<Parameters<typeof combinePort>[0] & object> = {}) => ({ port: 51820, bound: false, sent: 10, received: 10, targets: [{ address: '198.51.100.1', port: 51820 }], from: [], ...over })
  it.each([
    [half(), half(), true, /passes both ways/],
    [half({ received: 0 }), half(), false, /nothing from the joiner reached the host/],
    [half(), half({ received: 0 }), false, /nothing from the host reached the joiner/],
    [half({ bound: true, received: 0 }), half(), false, /already in use on the host/]
  ])('%#', (host, join, reachable, reason) => {
    const r = combinePort(host, join, 51820)
    expect(r.reachable).toBe(reachable)
    expect(r.reason).toMatch(reason)
  })

  it('says which side did not report', () => {
    expect(combinePort(half(), undefined, 51820).reason).toMatch(/joiner did not report/)
  })
})
