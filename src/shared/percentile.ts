// The one percentile rule of peerlens (pure, shared by the engine and the browser join page).
//
// Nearest rank: the smallest sample with at least p% of the samples at or below it. Always a round
// trip that was actually measured, and p50 and p95 follow the same rule (an interpolated median
// beside a nearest-rank p95 would mix two definitions in one report).

/** Nearest-rank percentile of samples sorted ascending (at least one). */
export function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

/** The p50 of unsorted samples, null when there are none. */
export function p50(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return percentile([...values].sort((a, b) => a - b), 50)
}
