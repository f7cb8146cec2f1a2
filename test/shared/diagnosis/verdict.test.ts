import { describe, expect, it } from 'vitest'
import { decideVerdict } from '../../../src/shared/diagnosis/verdict'
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
})
