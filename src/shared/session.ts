// What a peer session observes, in the shapes the CLI, the report and the UI share.
import type { ConnectionAttempt, PathMeasurements, Prediction } from './report'
import type { NatResult } from './nat'

export interface Endpoint {
  address: string
  port: number
}

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'
export type Role = 'host' | 'join'
export type Verdict = 'direct' | 'relayed' | 'failed'

export interface CandidateInfo {
  type: CandidateType
  protocol: 'udp' | 'tcp'
  address: string
  port: number
  priority: number
  foundation: string
  component: number
  relatedAddress?: Endpoint
  tcpType?: string
  /** The STUN or TURN server that produced a srflx or relay candidate. */
  server?: string
  /** Local candidates: the interface holding the address (or the base address, for srflx). */
  interface?: string
  /** The interface name looks like a VPN tunnel (wg*, wt*, tailscale*...): this candidate hides the real path. */
  vpnLike?: boolean
  /** Which connection attempt gathered or received it (1: all candidates, 2: relay only). */
  attempt?: number
  /** Milliseconds since the session started. */
  atMs: number
}

export type PairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed'

export interface PairInfo {
  id: string
  local: CandidateRef
  remote: CandidateRef
  state: PairState
  nominated: boolean
  rttMs?: number
  requestsSent: number
  responsesReceived: number
  /** Every state the pair went through, with the time it was first seen in it. */
  history: Array<{ state: PairState; atMs: number }>
  attempt?: number
}

export interface CandidateRef {
  type: CandidateType
  protocol: 'udp' | 'tcp'
  address: string
  port: number
}

export interface SelectedPair {
  local: CandidateRef
  remote: CandidateRef
}

export type SessionPhase = 'signaling' | 'gathering' | 'checking' | 'connected' | 'measuring' | 'done' | 'failed' | 'closed'

export type SessionEvent =
  | { kind: 'attempt'; atMs: number; attempt: number; policy: 'all' | 'relay'; outcome: 'started' | 'connected' | 'failed' | 'abandoned'; reason?: string }
  | { kind: 'nat'; atMs: number; side: Role; mapping: string; filtering: string; classic: string; reason: string }
  | { kind: 'prediction'; atMs: number; verdict: Verdict | 'unknown'; reason: string }
  | { kind: 'path-metrics'; atMs: number; path: 'direct' | 'relay'; rttP50Ms: number | null; lossPercent: number; jitterMs: number | null }
  | { kind: 'clock-offset'; atMs: number; offsetMs: number; errorMs: number }
  | { kind: 'throughput'; atMs: number; attempt: number; hostToJoinMBps: number | null; joinToHostMBps: number | null }
  | { kind: 'warning'; atMs: number; message: string }
  | { kind: 'phase'; atMs: number; phase: SessionPhase; detail?: string }
  | { kind: 'ice-state'; atMs: number; state: string }
  | { kind: 'gathering'; atMs: number; state: string }
  | { kind: 'local-candidate'; atMs: number; candidate: CandidateInfo }
  | { kind: 'remote-candidate'; atMs: number; candidate: CandidateInfo }
  | { kind: 'pair'; atMs: number; pair: PairInfo }
  | { kind: 'selected-pair'; atMs: number; pair: SelectedPair }
  | { kind: 'channel-open'; atMs: number }
  | { kind: 'probe'; atMs: number; rttMs: number }
  | { kind: 'signal'; atMs: number; direction: 'in' | 'out'; type: string }
  | { kind: 'peer-hello'; atMs: number; name: string; version: string; features: string[] }
  | { kind: 'error'; atMs: number; message: string }

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
