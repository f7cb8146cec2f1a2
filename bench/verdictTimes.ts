// Reads a `peerlens join --json` output for the time-to-verdict benchmark (bench/verdict.ts).

export type JsonLine = Record<string, unknown> & { event?: string; atMs?: number }

/** The verdict, when it came (the `verdict` event; before it existed, the "using attempt" phase) and when the measurements ended. */
export function verdictTimes(lines: JsonLine[]): { verdict: string; verdictMs: number | null; measuredMs: number | null } {
  const result = lines.find((l) => l.event === 'result')
  const verdictEvent = lines.find((l) => l.event === 'verdict')
  const chosen = verdictEvent ?? lines.find((l) => l.event === 'phase' && l.phase === 'connected' && String(l.detail ?? '').startsWith('using attempt'))
  const measures = lines.filter((l) => l.event === 'path-metrics' || l.event === 'throughput')
  return {
    verdict: String(result?.verdict ?? 'none'),
    verdictMs: typeof chosen?.atMs === 'number' ? chosen.atMs : null,
    measuredMs: measures.length ? Math.max(...measures.map((l) => Number(l.atMs))) : null
  }
}
