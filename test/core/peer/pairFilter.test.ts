import { describe, expect, it } from 'vitest'
import { keepPair } from '../../../src/core/peer/pairFilter'

type C = { type: string; host: string; relatedAddress?: string }
const pair = (local: C, remote: C) => ({ localCandidate: local, remoteCandidate: remote }) as unknown as Parameters<typeof keepPair>[0]

describe('which pairs werift may check', () => {
  it('never pairs a relay on a public TURN server with a private remote address (coturn would delete the allocation)', () => {
    expect(keepPair(pair({ type: 'relay', host: '203.0.113.2' }, { type: 'host', host: '10.1.0.2' }), new Set())).toBe(false)
    expect(keepPair(pair({ type: 'relay', host: '203.0.113.2' }, { type: 'srflx', host: '198.51.100.9' }), new Set())).toBe(true)
    // A TURN server on the LAN may reach private addresses.
    expect(keepPair(pair({ type: 'relay', host: '10.0.0.9' }, { type: 'host', host: '10.1.0.2' }), new Set())).toBe(true)
  })

  it('leaves relay pairs to the relay attempt when direct-only', () => {
    expect(keepPair(pair({ type: 'host', host: '10.1.0.2' }, { type: 'relay', host: '203.0.113.2' }), new Set(), true)).toBe(false)
    expect(keepPair(pair({ type: 'host', host: '10.1.0.2' }, { type: 'srflx', host: '198.51.100.9' }), new Set(), true)).toBe(true)
  })

  it('skips excluded local addresses', () => {
    expect(keepPair(pair({ type: 'host', host: '100.64.0.5' }, { type: 'srflx', host: '198.51.100.9' }), new Set(['100.64.0.5']))).toBe(false)
  })
})
