import { describe, expect, it } from 'vitest'
import { readPortHalf, readPortPlan } from '../../../src/shared/protocol/portTest'

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
})
