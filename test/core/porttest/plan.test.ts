import { describe, expect, it } from 'vitest'
import { portTargets, readPortHalf, readPortPlan } from '../../../src/core/porttest/plan'
import { combinePort } from '../../../src/core/porttest/udpPortTest'
import type { CandidateInfo } from '../../../src/shared/session'

describe('port test messages from the other side', () => {
  it('reads a plan, and refuses bad or far-away ones', () => {
    const now = Date.now()
    expect(readPortPlan({ ports: [51820, 0, 70000, 'x', 9], startAt: now + 1000, nonce: 'abc' })).toEqual({ ports: [51820, 9], startAt: now + 1000, nonce: 'abc' })
    expect(readPortPlan({ ports: [51820], startAt: now + 3_600_000, nonce: 'abc' })).toBeUndefined()
    expect(readPortPlan({ ports: [], startAt: now, nonce: 'abc' })).toBeUndefined()
    expect(readPortPlan({ ports: [1], startAt: 'soon', nonce: 'abc' })).toBeUndefined()
    expect(readPortPlan(null)).toBeUndefined()
    expect(readPortPlan({ ports: Array.from({ length: 50 }, (_, i) => 1000 + i), startAt: now, nonce: 'n' })?.ports).toHaveLength(8)
  })

  it('reads a half, keeping counts sane and endpoints well-formed', () => {
    expect(readPortHalf({ port: 51820, bound: true, sent: 10, received: -3, targets: [{ address: '198.51.100.1', port: 51820 }, { address: 5 }], from: 'x' })).toEqual({
      port: 51820,
      bound: true,
      sent: 10,
      received: 0,
      targets: [{ address: '198.51.100.1', port: 51820 }],
      from: []
    })
    expect(readPortHalf({ port: 0 })).toBeUndefined()
  })

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
