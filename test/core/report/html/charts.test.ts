// Charts take their scales from an untrusted report: absurd numbers must give a bounded chart,
// never an axis loop that runs until the heap is gone (issue 15, item 6).
import { describe, expect, it } from 'vitest'
import { fixtureReport } from '../fixture'
import { pairChart, rttChart, ticks, timelineChart } from '../../../../src/core/report/html/charts'
import { renderHtml } from '../../../../src/core/report/html'
import type { SideReport } from '../../../../src/shared/report'

describe('ticks', () => {
  it.each([
    [0, 10, 8, [0, 2, 4, 6, 8, 10]],
    [0, 1, 4, [0, 0.25, 0.5, 0.75, 1]],
    [1000, 5000, 8, [1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]]
  ])('from %d to %d (about %d) gives round values', (from, to, target, expected) => {
    expect(ticks(from, to, target)).toEqual(expected)
  })

  it.each([
    ['a span lost in floating-point precision', 1e17, 1e17 + 1000],
    ['an infinite end', 0, Infinity],
    ['a NaN', Number.NaN, 5],
    ['the largest double', 0, Number.MAX_VALUE],
    ['a reversed span', 10, 0]
  ])('%s gives at most 3 x target ticks, all finite', (_name, from, to) => {
    const t = ticks(from, to, 8)
    expect(t.length).toBeLessThanOrEqual(24)
    for (const v of t) expect(Number.isFinite(v)).toBe(true)
  })
})

describe('charts of hostile numbers', () => {
  it('pair history times of 1e17 draw a bounded pair chart', () => {
    const side = fixtureReport().sides[0] as SideReport
    const pair = side.pairs.find((p) => p.history.length)!
    pair.history = [
      { atMs: 1e17, state: 'in-progress' },
      { atMs: 1e17 + 5, state: 'succeeded' }
    ] as typeof pair.history
    const svg = pairChart(side)
    expect(svg).toMatch(/^<svg/)
    expect((svg.match(/class="tick"/g) ?? []).length).toBeLessThanOrEqual(24)
  })

  it('an RTT sample of 1.7e308 draws a bounded RTT chart with finite coordinates', () => {
    const svg = rttChart({ path: 'direct', pair: null, probesSent: 3, probesReceived: 3, rttSamplesMs: [1.7e308, 2, null] } as never)
    expect(svg).toMatch(/^<svg/)
    expect(svg).not.toMatch(/NaN|Infinity/)
    expect((svg.match(/class="grid"/g) ?? []).length).toBeLessThanOrEqual(12)
  })

  it('a timeline spanning 1e17 ms renders, and so does the whole HTML report', () => {
    const r = fixtureReport()
    r.timeline[r.timeline.length - 1]!.unixMs = 1e17
    expect(timelineChart(r)).toMatch(/^<svg/)
    const side = r.sides[0] as SideReport
    for (const p of side.pairs) for (const h of p.history) h.atMs = 1e17
    expect(renderHtml(r)).toContain('</html>')
  })
})
