// The report fields from the diagnosis and report issues (NAT per side, prediction, attempts,
// path measurements), read structurally: the UI shows them when a report carries them and says
// "not measured" when it does not, whatever version of the core wrote it.
import type { NatResult } from '../../../shared/nat'
import type { Report, Side } from '../../../shared/report'
import type { SelectedPair, Verdict } from '../../../shared/session'

export interface PredictionLike {
  verdict: Verdict | 'unknown'
  reason: string
}

export interface RttStatsLike {
  p50Ms: number
  p95Ms: number
}

export interface PathMeasurementLike {
  path: 'direct' | 'relay'
  probesSent?: number
  probesReceived?: number
  lossPercent?: number
  rtt?: RttStatsLike | null
  jitterMs?: number | null
  rttSamplesMs?: Array<number | null>
  throughput?: { hostToJoinBps: number | null; joinToHostBps: number | null } | null
}

export interface PathsLike {
  direct?: PathMeasurementLike | null
  relay?: PathMeasurementLike | null
  overhead?: { extraRttMs: number | null; throughputRatio: number | null } | null
}

export interface AttemptLike {
  id: string
  policy: string
  outcome: string
  verdict: Verdict | null
  selectedPair: SelectedPair | null
  used: boolean
  reason: string
}

interface Extras {
  prediction?: PredictionLike
  paths?: PathsLike
  connection: { attempts?: AttemptLike[] }
}

export function predictionOf(report: Report | undefined): PredictionLike | undefined {
  return (report as (Report & Extras) | undefined)?.prediction
}

export function pathsOf(report: Report | undefined): PathsLike | undefined {
  return (report as (Report & Extras) | undefined)?.paths
}

export function attemptsOf(report: Report | undefined): AttemptLike[] {
  return (report as (Report & Extras) | undefined)?.connection.attempts ?? []
}

/** A side's NAT result (IPv4), or undefined when that side did not measure or its half is missing. */
export function natOf(side: Side | undefined): NatResult | undefined {
  if (!side || side.missing) return undefined
  return (side as { nat?: NatResult | null }).nat ?? undefined
}
