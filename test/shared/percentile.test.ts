import { describe, expect, it } from 'vitest'
import { p50, percentile } from '../../src/shared/percentile'

describe('nearest-rank percentile (the one rule for p50 and p95)', () => {
  it.each([
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    // Even count: the lower middle sample, never an average of two.
    [[4, 1, 3, 2], 2],
    [[10, 12, 11, 30, 10, 12, 11, 10], 11]
  ])('p50 of %j is %j', (values, expected) => {
    expect(p50(values)).toBe(expected)
  })

  it('p95 of a sorted list is a measured sample', () => {
    expect(percentile([10, 10, 10, 11, 11, 12, 12, 30], 95)).toBe(30)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95)).toBe(19)
  })
})
