// What a peer session observes, in the shapes the CLI, the report and the UI share. The shapes that
// go into the report are inferred from its schema (src/shared/reportSchema/); SessionResult is not
// part of the report and is written here by hand.
import type { ConnectionAttempt, PathMeasurements, Prediction } from './report'
import type { NatResult } from './nat'
import type { Static } from './schema/builder'
import type * as Candidates from './reportSchema/candidates'
import type * as Common from './reportSchema/common'
import type * as Events from './reportSchema/events'

export type Endpoint = Static<typeof Common.Endpoint>
export type CandidateType = Static<typeof Candidates.CandidateType>
export type Role = Static<typeof Common.Role>
export type Verdict = Static<typeof Common.Verdict>
export type CandidateInfo = Static<typeof Candidates.Candidate>
export type PairState = Static<typeof Candidates.PairState>
export type PairInfo = Static<typeof Candidates.Pair>
export type CandidateRef = Static<typeof Candidates.CandidateRef>
export type SelectedPair = Static<typeof Candidates.SelectedPair>
export type SessionPhase = Static<typeof Events.SessionPhase>
export type SessionEvent = Static<typeof Events.SessionEvent>

export interface SessionResult {
  role: Role
  verdict: Verdict
  reason: string
  selectedPair: SelectedPair | null
  rttMs: number | null
  /** Wall-clock start of the session (ISO 8601). */
  startedAt: string
  /** Milliseconds from start until the data channel carried a probe both ways. */
  connectedAfterMs: number | null
  /** Milliseconds from start until the path in use was chosen (the verdict event). */
  verdictAfterMs?: number
  /** Milliseconds from start until the measurements on the paths ended. */
  measuredAfterMs?: number
  localCandidates: CandidateInfo[]
  remoteCandidates: CandidateInfo[]
  pairs: PairInfo[]
  events: SessionEvent[]
  peer?: { name: string; version: string; features: string[] }
  /** Every ICE attempt, the one whose path was used marked `used`. */
  attempts?: ConnectionAttempt[]
  /** Measurements on the direct and the relay path, where each connected. */
  paths?: PathMeasurements
  prediction?: Prediction
  /** This side's NAT behaviour (null: discovery ran and got no answer; absent: not run). */
  nat?: NatResult | null
  /** The other side's NAT behaviour, as it sent it. */
  peerNat?: NatResult | null
  /** The other side's clock minus ours, ms, from the probe with the shortest round trip. */
  peerClockOffsetMs?: number
  peerClockOffsetErrorMs?: number
  /** Set when the two sides run different peerlens versions. */
  versionMismatch?: string
}
