// Reads a `peerlens join --json` output and its report for the time-to-verdict benchmark (bench/verdict.ts).

export type JsonLine = Record<string, unknown> & { event?: string; atMs?: number }

export interface VerdictTimes {
  verdict: string
  /** The `verdict` event (before it existed: the "using attempt" phase). */
  verdictMs: number | null
  /** The report's measuredAfterMs: this side's measurements ended (else its last path-metrics or throughput event). */
  measuredMs: number | null
  /** The session's last phase (done or failed): the report halves exchanged, the throughput tests over. */
  doneMs: number | null
}

/** The times from the joiner's JSON lines and (when it wrote one) its report's connection. */
export function verdictTimes(lines: JsonLine[], connection?: { verdictAfterMs?: number; measuredAfterMs?: number }): VerdictTimes {
  const result = lines.find((l) => l.event === 'result')
  const verdictEvent = lines.find((l) => l.event === 'verdict')
  const chosen = verdictEvent ?? lines.find((l) => l.event === 'phase' && l.phase === 'connected' && String(l.detail ?? '').startsWith('using attempt'))
  const measures = lines.filter((l) => l.event === 'path-metrics' || l.event === 'throughput')
  const done = lines.findLast((l) => l.event === 'phase' && (l.phase === 'done' || l.phase === 'failed'))
  return {
    verdict: String(result?.verdict ?? 'none'),
    verdictMs: typeof chosen?.atMs === 'number' ? chosen.atMs : null,
    measuredMs: connection?.measuredAfterMs ?? (measures.length ? Math.max(...measures.map((l) => Number(l.atMs))) : null),
    doneMs: typeof done?.atMs === 'number' ? done.atMs : null
  }
}
