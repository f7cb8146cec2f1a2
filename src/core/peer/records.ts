import type { ConnectionAttempt, PathMeasurement, PathMeasurements } from '../../shared/report'
import type { SelectedPair, Verdict } from '../../shared/session'
import { isRelayed } from '../../shared/path'
import { echoPingSamples, rttStats, type PingSample } from '../measure/rtt'
import { DC_PING_METHOD, echoMethod, echoStats, JITTER_METHOD, type EchoPlan, type EchoSample } from '../../shared/measure/echoStats'

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

/**
 * How a path's RTT, loss and jitter were measured: data-channel pings (a bare array: the other side
 * cannot answer UDP probes; or with the reason), or a UDP echo train that `initiator` ran.
 */
export type PathProbes =
  | PingSample[]
  | { pings: PingSample[]; method: string }
  | { echo: { plan: EchoPlan; samples: EchoSample[]; peerReceived: number | null }; initiator: 'host' | 'join' }

/** The ping samples of a path's probes (clock offset, gap warnings, the chart). */
export function probeSamples(probes: PathProbes): PingSample[] {
  return Array.isArray(probes) ? probes : 'pings' in probes ? probes.pings : echoPingSamples(probes.echo.samples)
}

/** One path's measurement from its probes; without a selected pair, the attempt's policy says which path it was. */
export function pathMeasurement(attempt: Pick<AttemptView, 'policy' | 'selected'>, probes: PathProbes, throughput?: PathMeasurement['throughput']): PathMeasurement {
  const relayed = attempt.selected ? isRelayed(attempt.selected) : attempt.policy === 'relay'
  const samples = probeSamples(probes)
  const base = { path: relayed ? ('relay' as const) : ('direct' as const), pair: attempt.selected, rttSamplesMs: samples.map((s) => s.rttMs), ...(throughput !== undefined ? { throughput } : {}) }
  if (Array.isArray(probes) || 'pings' in probes) {
    const stats = rttStats(samples)
    return { ...base, probesSent: stats.sent, probesReceived: stats.received, lossPercent: stats.lossPercent, rtt: stats.rtt, jitterMs: stats.jitterMs, probeMethod: Array.isArray(probes) ? DC_PING_METHOD : probes.method }
  }
  const s = echoStats(probes.echo.samples, probes.echo.peerReceived)
  // The initiator's requests travel its way out: host → join when the host ran the train.
  const fromHost = probes.initiator === 'host'
  const [hostToJoinMs, joinToHostMs] = fromHost ? [s.jitterOutMs, s.jitterBackMs] : [s.jitterBackMs, s.jitterOutMs]
  const [hostToJoinPercent, joinToHostPercent] = fromHost ? [s.outLossPercent, s.backLossPercent] : [s.backLossPercent, s.outLossPercent]
  const both = [hostToJoinMs, joinToHostMs].filter((j): j is number => j !== null)
  return {
    ...base,
    probesSent: s.sent,
    probesReceived: s.received,
    lossPercent: s.lossPercent,
    ...(hostToJoinPercent !== null && joinToHostPercent !== null ? { lossOneWay: { hostToJoinPercent, joinToHostPercent } } : {}),
    rtt: s.rtt,
    // The larger of the two one-way RFC 3550 jitters (the worse direction).
    jitterMs: both.length ? Math.max(...both) : null,
    jitter: { hostToJoinMs, joinToHostMs, method: JITTER_METHOD },
    probeMethod: echoMethod(probes.echo.plan)
  }
}

/**
 * Runs of unanswered pings, one warning each: when the other side stopped answering, and for how long.
 * `toSessionMs` turns a wall-clock time into the session's milliseconds. Runs shorter than `minLost`
 * are loss, not a gap (an echo train's single losses are counted in lossPercent).
 */
export function gapWarnings(samples: PingSample[], path: string, toSessionMs: (wallMs: number) => number, minLost = 1): string[] {
  const out: string[] = []
  let start: PingSample | undefined
  let lost = 0
  // Whole milliseconds: an echo train's send times are fractional.
  const at = (s: PingSample): number => Math.round(toSessionMs(s.sentWallMs))
  const flush = (end: PingSample | undefined): void => {
    if (!start) return
    const until = end ? `; answers came back at ${at(end)} ms` : '; no answer came back before the probes ended'
    if (lost >= minLost) out.push(`${path} path: the other side stopped answering at ${at(start)} ms (${lost} probe${lost === 1 ? '' : 's'} lost)${until}`)
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
