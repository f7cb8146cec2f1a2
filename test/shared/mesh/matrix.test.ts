import { describe, expect, it } from 'vitest'
import { buildMatrix, renderMatrix } from '../../../src/shared/mesh/matrix'

const p = (verdict: string, at: string, rttMs: number | null = 2, reason = 'why') => ({ verdict, at, rttMs, reason })

describe('buildMatrix', () => {
  it('lists every pair once, with the newer of the two sides\' results, and untested pairs', () => {
    const m = buildMatrix([
      { name: 'carol', results: { pairs: { alice: p('relayed', '2026-01-01T00:00:05Z'), bob: p('direct', '2026-01-01T00:00:01Z') } } },
      { name: 'alice', results: { pairs: { carol: p('direct', '2026-01-01T00:00:01Z'), bob: p('direct', '2026-01-01T00:00:02Z') } } },
      { name: 'bob', results: { pairs: { carol: p('failed', '2026-01-01T00:00:09Z', null, 'ICE failed') } } },
      { name: 'dave' }
    ])
    expect(m.peers).toEqual(['alice', 'bob', 'carol', 'dave'])
    expect(m.pairs.map((x) => `${x.a}-${x.b} ${x.verdict}`)).toEqual([
      'alice-bob direct',
      'alice-carol relayed',
      'alice-dave untested',
      'bob-carol failed',
      'bob-dave untested',
      'carol-dave untested'
    ])
    expect(m.pairs[3]).toEqual({ a: 'bob', b: 'carol', verdict: 'failed', at: '2026-01-01T00:00:09Z', rttMs: null, reason: 'ICE failed' })
  })

  it('ignores what a hostile member publishes in the wrong shape', () => {
    const m = buildMatrix([
      { name: 'a', results: { pairs: { b: { verdict: 7, at: 'x' }, __proto__: { verdict: 'direct', at: '2026-01-01T00:00:00Z' } } } },
      { name: 'b', results: 'nonsense' },
      { name: 'c', results: { pairs: { a: { verdict: 'direct', at: 'not a date' } } } }
    ])
    expect(m.pairs.map((x) => x.verdict)).toEqual(['untested', 'untested', 'untested'])
  })
})

describe('renderMatrix', () => {
  it('prints a grid of verdicts and one line per pair', () => {
    const text = renderMatrix(
      buildMatrix([
        { name: 'alice', results: { pairs: { bob: p('direct', '2026-01-01T10:00:00.000Z', 1.5, 'host to host') } } },
        { name: 'bob' },
        { name: 'carol' }
      ])
    )
    expect(text).toBe(
      [
        '          alice     bob       carol',
        'alice     -         direct    untested',
        'bob       direct    -         untested',
        'carol     untested  untested  -',
        '',
        'alice ↔ bob: direct, rtt 1.5 ms, 2026-01-01 10:00:00Z: host to host',
        'alice ↔ carol: untested: not tested yet',
        'bob ↔ carol: untested: not tested yet',
        ''
      ].join('\n')
    )
    expect(renderMatrix({ peers: [], pairs: [] })).toBe('no agents in this group\n')
  })
})
