import { describe, expect, it } from 'vitest'
import { mirroredPair, pairFailureWhy } from '../../src/shared/pairs'
import { candidateSdpLine, parseCandidateLine } from '../../src/shared/protocol/candidateLine'
import type { PairInfo } from '../../src/shared/session'

const ref = (type: PairInfo['local']['type'], address: string, port: number): PairInfo['local'] => ({ type, protocol: 'udp', address, port })

describe('pairFailureWhy', () => {
  const failed = { state: 'failed' as const, requestsSent: 5, responsesReceived: 0 }
  const table: [string, Parameters<typeof pairFailureWhy>[0], Parameters<typeof pairFailureWhy>[1], RegExp | undefined][] = [
    ['a succeeded pair has no failure', { state: 'succeeded', requestsSent: 3, responsesReceived: 3 }, undefined, undefined],
    ['an unchecked pair is not a failure', { ...failed, requestsSent: 0, unchecked: 'another-pair-won' }, undefined, undefined],
    ['no answer, the other side unknown', failed, undefined, /^5 checks sent, 0 answered: no answer from the other side's address/],
    ['answered one way only: asymmetric filtering', failed, { requestsSent: 4, responsesReceived: 4 }, /one way only \(asymmetric filtering/],
    ['nothing either way', failed, { requestsSent: 4, responsesReceived: 0 }, /none of the other side's 4 were answered either/],
    ['the other side never tried', failed, { requestsSent: 0, responsesReceived: 0 }, /the other side sent none on this pair/],
    ['answered then lost', { state: 'failed', requestsSent: 5, responsesReceived: 2 }, undefined, /answered, then lost/]
  ]
  it.each(table)('%s', (_name, pair, theirs, want) => {
    const why = pairFailureWhy(pair, theirs)
    if (want) expect(why).toMatch(want)
    else expect(why).toBeUndefined()
  })
})

describe('mirroredPair', () => {
  it('finds the other side’s record of a pair by swapped endpoints, whatever it calls their types', () => {
    const mine = { local: ref('srflx', '81.2.69.142', 5000), remote: ref('host', '10.0.0.2', 6000) }
    const theirs = [
      { local: ref('host', '10.0.0.2', 6000), remote: ref('srflx', '81.2.69.142', 5001), requestsSent: 1, responsesReceived: 0 },
      { local: ref('host', '10.0.0.2', 6000), remote: ref('prflx', '81.2.69.142', 5000), requestsSent: 4, responsesReceived: 4 }
    ]
    expect(mirroredPair(mine, theirs)).toBe(theirs[1])
    expect(mirroredPair({ local: mine.remote, remote: mine.local }, theirs)).toBeUndefined()
  })
})

describe('candidateSdpLine', () => {
  it('writes a line parseCandidateLine reads back to the same candidate', () => {
    const c = { type: 'srflx' as const, protocol: 'udp' as const, address: '81.2.69.142', port: 5000, priority: 1694498815, foundation: 'abc', component: 1, relatedAddress: { address: '192.168.1.20', port: 5000 }, atMs: 3 }
    const line = candidateSdpLine(c)
    expect(line).toBe('a=candidate:abc 1 udp 1694498815 81.2.69.142 5000 typ srflx raddr 192.168.1.20 rport 5000')
    expect(parseCandidateLine(line, 3)).toEqual(c)
    expect(candidateSdpLine({ ...c, type: 'host', relatedAddress: undefined })).toBe('a=candidate:abc 1 udp 1694498815 81.2.69.142 5000 typ host')
  })
})
