import { describe, expect, it } from 'vitest'
import { matrixChanges, MAX_CHANGES, withChanges } from '../../../src/shared/mesh/changes'
import type { Matrix } from '../../../src/shared/mesh/matrix'

const pair = (a: string, b: string, verdict: string, at: string | null = '2026-11-30T11:00:00.000Z', reason = 'why') => ({ a, b, verdict, at, rttMs: null, reason })
const READ = '2026-11-30T12:00:00.000Z'

describe('matrixChanges', () => {
  it('lists verdicts that changed, agents that joined and left, newest first', () => {
    const before: Matrix = { peers: ['a', 'b', 'c'], pairs: [pair('a', 'b', 'direct'), pair('a', 'c', 'relayed'), pair('b', 'c', 'direct')] }
    const after: Matrix = { peers: ['a', 'b', 'd'], pairs: [pair('a', 'b', 'relayed', '2026-11-30T11:30:00.000Z', 'only TURN worked'), pair('a', 'd', 'untested', null), pair('b', 'd', 'untested', null)] }
    expect(matrixChanges(before, after, READ).map((c) => c.text)).toEqual(['d joined the group', 'c left the group (or expired)', 'a ↔ b: direct → relayed (only TURN worked)'])
    expect(matrixChanges(before, after, READ)[2]).toMatchObject({ kind: 'verdict', before: 'direct', after: 'relayed', at: '2026-11-30T11:30:00.000Z' })
  })

  it('has nothing to say on a first reading, an unchanged one, or a pair gone back to untested', () => {
    const m: Matrix = { peers: ['a', 'b'], pairs: [pair('a', 'b', 'direct')] }
    expect(matrixChanges(undefined, m, READ)).toEqual([])
    expect(matrixChanges(m, m, READ)).toEqual([])
    expect(matrixChanges(m, { peers: ['a', 'b'], pairs: [pair('a', 'b', 'untested', null)] }, READ)).toEqual([])
  })

  it('keeps at most MAX_CHANGES, newest first', () => {
    const one = matrixChanges({ peers: [], pairs: [] }, { peers: ['x'], pairs: [] }, READ)
    let history = one
    for (let i = 0; i < MAX_CHANGES + 5; i++) history = withChanges(history, one)
    expect(history).toHaveLength(MAX_CHANGES)
  })
})
