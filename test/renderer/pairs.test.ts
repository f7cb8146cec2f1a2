// Pairs that explain themselves: why a pair failed, the checks each way, the detail of a clicked pair.
import { describe, expect, it } from 'vitest'
import { candidateRows, pairDetail, pairRows, CANDIDATE_TYPES } from '../../src/renderer/src/model/candidates'
import type { PairInfo } from '../../src/shared/session'
import { LOCAL, RELAY, SELECTED, pair } from './fixtures'

describe('pair rows with the other side’s checks', () => {
  const failed: PairInfo = { ...pair('p2', 'failed'), local: RELAY, requestsSent: 6, responsesReceived: 0, attempt: 1, history: [{ state: 'waiting', atMs: 100 }, { state: 'in-progress', atMs: 150 }, { state: 'failed', atMs: 5150 }] }
  const theirs: PairInfo = { ...pair('t2', 'failed'), local: SELECTED.remote, remote: RELAY, requestsSent: 5, responsesReceived: 5 }

  it('a failed pair says why, and the mirrored pair’s counts show asymmetric filtering', () => {
    const rows = pairRows([pair('p1', 'succeeded'), failed], SELECTED, [theirs])
    const row = rows.find((r) => r.key === 'p2')!
    expect(row.theirChecks).toBe('5/5')
    expect(row.why).toMatch(/one way only \(asymmetric filtering/)
    expect(rows.find((r) => r.key === 'p1')!.why).toBe('')
    expect(pairRows([failed], SELECTED)[0]!.theirChecks).toBe('')
  })

  it('the detail: states over time, checks each way, attempt, why it lost', () => {
    const d = pairDetail(pairRows([failed], SELECTED, [theirs])[0]!)
    expect(d.history).toEqual([
      { state: 'waiting', at: '0.1 s' },
      { state: 'in-progress', at: '0.15 s' },
      { state: 'failed', at: '5.15 s' }
    ])
    expect(Object.fromEntries(d.facts)).toMatchObject({
      attempt: '1 (all candidates)',
      'checks this side sent / got answered': '6/0',
      'checks the other side sent / got answered': '5/5',
      'why it lost': expect.stringMatching(/asymmetric/)
    })
    expect(Object.fromEntries(pairDetail(pairRows([pair('p1', 'succeeded')], SELECTED)[0]!).facts)).toMatchObject({ outcome: 'it won: the selected pair' })
  })

  it('a candidate copies as host:port and as an a=candidate line', () => {
    const [row] = candidateRows([LOCAL], new Set(CANDIDATE_TYPES))
    expect(row!.endpoint).toBe('192.168.1.2:5000')
    expect(row!.sdp).toMatch(/^a=candidate:\S+ 1 udp \d+ 192\.168\.1\.2 5000 typ host$/)
  })
})
