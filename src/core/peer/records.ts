import type { ConnectionAttempt, PathMeasurement, PathMeasurements } from '../../shared/report'
import type { SelectedPair, Verdict } from '../../shared/session'
import { isRelayed } from '../../shared/path'
import { rttStats, type PingSample } from '../measure/rtt'

// The session's records, from plain data: what each attempt did, what each path measured, and why a
// session that timed out did. Pure, so each rule is table-tested (test/core/peer/records.test.ts).

/** What the records need to know about one ICE attempt. */
export interface AttemptView {
  id: number
  policy: 'all' | 'relay'
  startedAtMs: number
  connectedAtMs: number | null
  failure: string | undefined
  selected: SelectedPair | null
}

export function policyWords(policy: 'all' | 'relay'): string {
  return policy === 'all' ? 'all candidates' : 'relay only'
}

/** One line per attempt, for failure reasons: "attempt 1 (all candidates): ICE failed; attempt 2 ...". */
export function attemptSummary(attempts: AttemptView[]): string {
  return attempts.map((a) => `attempt ${a.id} (${policyWords(a.policy)}): ${a.failure ?? (a.connectedAtMs !== null ? 'connected' : 'still checking')}`).join('; ')
}

/** Why nothing worked within the time limit, from how far the session got. */
export function timeoutReason(ms: number, o: { peerKnown: boolean; attempts: AttemptView[]; answered: boolean }): string {
  const s = Math.round(ms / 1000)
  const first = o.attempts.find((a) => a.id === 1)
  if (!o.peerKnown && !first) return `no answer from the other side within ${s} s (is it running and joined to the same room?)`
  if (!o.answered) return `the other side never completed the offer/answer exchange within ${s} s`
  if (!o.attempts.some((a) => a.connectedAtMs !== null)) return `ICE checks found no working candidate pair within ${s} s (${attemptSummary(o.attempts)})`
  return `a data channel opened but the probes got no answer within ${s} s`
}

/** Every attempt as the report lists it; `chosen` is the one whose path the session used. */
export function attemptRecords(attempts: AttemptView[], paths: ReadonlyMap<number, PathMeasurement>, chosen: AttemptView | undefined): ConnectionAttempt[] {
  return attempts.map((a) => {
    const connected = a.connectedAtMs !== null
    const verdict: Verdict | null = !connected ? (a.failure ? 'failed' : null) : a.selected && isRelayed(a.selected) ? 'relayed' : 'direct'
    return {
      id: String(a.id),
      policy: a.policy,
      startedAtMs: a.startedAtMs,
      outcome: connected ? 'connected' : a.failure ? 'failed' : chosen ? 'abandoned' : 'running',
      verdict,
      selectedPair: connected ? a.selected : null,
      connectedAfterMs: a.connectedAtMs,
      rttMs: paths.get(a.id)?.rtt?.p50Ms ?? null,
      used: a === chosen,
      reason: a.failure ?? (connected ? `data channel open after ${a.connectedAtMs} ms` : chosen ? 'not needed: another attempt connected first' : 'still checking when the session ended')
    }
  })
}

/** The first measurement of each kind of path, and what the relay costs beside the direct path. */
export function pathRecords(measured: Iterable<PathMeasurement>): PathMeasurements {
  const out: PathMeasurements = {}
  for (const m of measured) if (!out[m.path]) out[m.path] = m
  const d = out.direct?.rtt?.p50Ms
  const r = out.relay?.rtt?.p50Ms
  // Whenever both paths have an RTT, or both a throughput figure the same way (host to joiner first).
  const ratio = (['hostToJoinBps', 'joinToHostBps'] as const)
    .map((k) => [out.direct?.throughput?.[k], out.relay?.throughput?.[k]] as const)
    .find(([dt, rt]) => !!dt && !!rt)
  if ((d !== undefined && r !== undefined) || ratio) {
    out.overhead = {
      extraRttMs: d !== undefined && r !== undefined ? Math.round((r - d) * 100) / 100 : null,
      throughputRatio: ratio ? Math.round((ratio[1]! / ratio[0]!) * 1000) / 1000 : null
    }
  }
  return out
}

/** One path's measurement from its pings; without a selected pair, the attempt's policy says which path it was. */
export function pathMeasurement(attempt: Pick<AttemptView, 'policy' | 'selected'>, samples: PingSample[], throughput?: PathMeasurement['throughput']): PathMeasurement {
  const stats = rttStats(samples)
  const relayed = attempt.selected ? isRelayed(attempt.selected) : attempt.policy === 'relay'
  return {
    path: relayed ? 'relay' : 'direct',
    pair: attempt.selected,
    probesSent: stats.sent,
    probesReceived: stats.received,
    lossPercent: stats.lossPercent,
    rtt: stats.rtt,
    jitterMs: stats.jitterMs,
    rttSamplesMs: samples.map((s) => s.rttMs),
    ...(throughput !== undefined ? { throughput } : {})
  }
}

/**
 * Runs of unanswered pings, one warning each: when the other side stopped answering, and for how long.
 * `toSessionMs` turns a wall-clock time into the session's milliseconds.
 */
export function gapWarnings(samples: PingSample[], path: string, toSessionMs: (wallMs: number) => number): string[] {
  const out: string[] = []
  let start: PingSample | undefined
  let lost = 0
  const flush = (end: PingSample | undefined): void => {
    if (!start) return
    const until = end ? `; answers came back at ${toSessionMs(end.sentWallMs)} ms` : '; no answer came back before the probes ended'
    out.push(`${path} path: the other side stopped answering at ${toSessionMs(start.sentWallMs)} ms (${lost} probe${lost === 1 ? '' : 's'} lost)${until}`)
    start = undefined
    lost = 0
  }
  for (const sample of samples) {
    if (sample.rttMs === null) {
      start ??= sample
      lost++
    } else flush(sample)
  }
  flush(undefined)
  return out
}
