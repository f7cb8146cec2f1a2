import type { CandidateInfo, PairInfo, Role, SelectedPair, SessionEvent, Verdict } from './session'

export const REPORT_SCHEMA = 'peerlens.report/v1'

/** One side's half of a report, as that side saw it. */
export interface SideReport {
  role: Role
  missing?: false
  name: string
  app: { name: string; version: string }
  os: { platform: string; release: string; arch: string }
  startedAt: string
  verdict: Verdict
  reason: string
  selectedPair: SelectedPair | null
  rttMs: number | null
  connectedAfterMs: number | null
  candidates: { local: CandidateInfo[]; remote: CandidateInfo[] }
  pairs: PairInfo[]
  events: SessionEvent[]
}

/** A side whose half never reached the side that wrote the report. */
export interface MissingSide {
  role: Role
  missing: true
  why: string
}

export type Side = SideReport | MissingSide

export interface TimelineEntry {
  /** Wall-clock time, ISO 8601 with milliseconds. */
  at: string
  role: Role
  event: SessionEvent
}

export interface Report {
  schema: typeof REPORT_SCHEMA
  app: { name: string; version: string }
  createdAt: string
  writtenBy: Role
  sides: [Side, Side]
  connection: {
    verdict: Verdict
    reason: string
    /** As the writing side sees it: `local` is the writer's candidate. */
    selectedPair: SelectedPair | null
    rttMs: number | null
    connectedAfterMs: number | null
  }
  timeline: TimelineEntry[]
}
