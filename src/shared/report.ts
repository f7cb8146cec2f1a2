// The diagnostic report ("peerlens.report/v1"): what one laptop exports, holding both sides.
// src/shared/report.schema.json is the same contract as a JSON Schema; docs/report.md the prose.
// Within v1, fields are only ever added (and optional): a reader ignores fields it does not know.
import type { CandidateInfo, Endpoint, PairInfo, Role, SelectedPair, SessionEvent, Verdict } from './session'
import type { NatResult } from './nat'

export const REPORT_SCHEMA = 'peerlens.report/v1'
export const REPORT_MAJOR = 1

/** One side's half of a report, as that side saw it. */
export interface SideReport {
  role: Role
  missing?: false
  name: string
  app: { name: string; version: string }
  os: { platform: string; release: string; arch: string }
  /** A browser joiner (the join page) says what it is here; its `os` holds what a page can know. */
  userAgent?: string
  startedAt: string
  verdict: Verdict
  reason: string
  selectedPair: SelectedPair | null
  rttMs: number | null
  connectedAfterMs: number | null
  candidates: { local: CandidateInfo[]; remote: CandidateInfo[] }
  pairs: PairInfo[]
  events: SessionEvent[]
  /**
   * This side's wall clock minus the writing side's clock, in ms, measured over the data channel
   * (positive: this side's clock is ahead). Merging subtracts it. Absent: 0 (the writer's own side,
   * or never measured).
   */
  clockOffsetMs?: number
  /** Half the round trip of the sample the offset came from: the offset is good to +/- this. */
  clockOffsetErrorMs?: number
  /** NAT behaviour toward the STUN server, IPv4 and IPv6 (null: tried, no answer). */
  nat?: NatResult | null
  nat6?: NatResult | null
  /** One probe per configured STUN/TURN server. */
  servers?: ServerProbe[]
  /** Path MTU toward the other side, where the platform allows probing it. */
  pathMtu?: PathMtu
  /** Interfaces, routes toward the other side, gateways, VPN clients. */
  system?: SystemFacts
}

/** A side whose half never reached the side that wrote the report. */
export interface MissingSide {
  role: Role
  missing: true
  why: string
}

export type Side = SideReport | MissingSide

export interface TimelineEntry {
  /** Wall-clock time, ISO 8601 with milliseconds, on the writer's clock (offset applied). */
  at: string
  /** The same instant in Unix milliseconds. */
  unixMs: number
  role: Role
  event: SessionEvent
}

/** One STUN or TURN server as a side probed it. Credentials never appear in `url`. */
export interface ServerProbe {
  url: string
  kind: 'stun' | 'turn'
  transport: 'udp' | 'tcp' | 'tls'
  /** The address the name resolved to, when it resolved. */
  resolved?: Endpoint | null
  reachable: boolean
  rttMs: number | null
  /** Our address as the server saw it (XOR-MAPPED-ADDRESS). */
  mapped: Endpoint | null
  /** TURN: the relayed address of the allocation. */
  relay?: Endpoint | null
  /** Why it failed, decoded ("401 after credentials: wrong username or password"). */
  error?: { code?: number; reason: string } | null
  /** How long the allocation lives (TURN), seconds. */
  lifetimeS?: number
}

/** One ICE attempt of the session (e.g. "all" beside a relay-only second attempt). */
export interface ConnectionAttempt {
  id: string
  policy: 'all' | 'relay'
  /** Milliseconds since the writer's session start. */
  startedAtMs: number
  outcome: 'connected' | 'failed' | 'abandoned' | 'running'
  verdict: Verdict | null
  selectedPair: SelectedPair | null
  connectedAfterMs: number | null
  rttMs: number | null
  /** True for the attempt whose path the session went on to use. */
  used: boolean
  reason: string
}

export type PredictedVerdict = Verdict | 'unknown'

/** What the two NAT behaviours allowed, said before connecting. */
export interface Prediction {
  verdict: PredictedVerdict
  reason: string
}

export interface RttStats {
  minMs: number
  p50Ms: number
  p95Ms: number
  maxMs: number
}

/** Measurements on one path once connected. */
export interface PathMeasurement {
  path: 'direct' | 'relay'
  pair: SelectedPair | null
  probesSent: number
  probesReceived: number
  lossPercent: number
  rtt: RttStats | null
  jitterMs: number | null
  /** Every probe's RTT in send order, null where it was lost (for the chart). */
  rttSamplesMs?: Array<number | null>
  /** Bytes per second each way; null when not measured. */
  throughput?: { hostToJoinBps: number | null; joinToHostBps: number | null; bytes: number; messageBytes?: number } | null
  error?: string
}

export interface PathMeasurements {
  direct?: PathMeasurement | null
  relay?: PathMeasurement | null
  /** Relay minus direct: what the relay costs. */
  overhead?: { extraRttMs: number | null; throughputRatio: number | null } | null
}

/** UDP sent at the same moment from both sides to a named port, outside WebRTC. */
export interface UdpPortTest {
  port: number
  /** Packets arrived in both directions. */
  reachable: boolean
  hostToJoin: PortDirection
  joinToHost: PortDirection
  /** The port was already bound by something else on that side (a running WireGuard owns 51820). */
  boundOn: Role[]
  reason: string
}

export interface PortDirection {
  target: Endpoint | null
  sent: number
  received: number
}

export interface PathMtu {
  toward: Endpoint | null
  /** Largest IP packet that got through, bytes; null when it could not be measured. */
  mtu: number | null
  method: string
  reason?: string
}

/** What the machine says about its network, collected by src/core/sysinfo. */
export interface SystemFacts {
  collectedAt: string
  platform: string
  durationMs: number
  interfaces: SystemInterface[]
  /** The route toward each of the other side's candidate addresses. */
  routes: RouteFact[]
  defaultGateways: Gateway[]
  /** VPN clients found on the PATH, with their status output. */
  vpn: VpnFact[]
  /** Commands that failed while collecting (never fatal). */
  errors: string[]
}

export interface SystemInterface {
  name: string
  /** null: the platform did not say. */
  up: boolean | null
  mtu: number | null
  internal: boolean
  /** Names WireGuard meshes and other VPNs use (wg*, wt*, tun*, utun*, tailscale*...). */
  vpnLike: boolean
  addresses: Array<{ address: string; family: 4 | 6; prefixLength: number | null }>
}

export interface RouteFact {
  destination: string
  ok: boolean
  command: string
  interface?: string | null
  gateway?: string | null
  source?: string | null
  mtu?: number | null
  vpnLike?: boolean
  error?: string
}

export interface Gateway {
  address: string
  interface: string | null
  family: 4 | 6
}

export interface VpnFact {
  tool: 'netbird' | 'wg'
  command: string
  ok: boolean
  exitCode: number | null
  /** Parsed JSON when the tool prints JSON, text otherwise; keys and secrets removed. */
  output: unknown
  error?: string
}

export interface Report {
  schema: typeof REPORT_SCHEMA
  app: { name: string; version: string }
  createdAt: string
  writtenBy: Role
  /** The signaling room (its id only: the secret never appears). */
  room?: string
  sides: [Side, Side]
  connection: {
    verdict: Verdict
    reason: string
    /** As the writing side sees it: `local` is the writer's candidate. */
    selectedPair: SelectedPair | null
    rttMs: number | null
    connectedAfterMs: number | null
    attempts?: ConnectionAttempt[]
  }
  prediction?: Prediction
  paths?: PathMeasurements
  portTests?: UdpPortTest[]
  timeline: TimelineEntry[]
  /** Present when the report was redacted for sharing. */
  redaction?: { publicAddresses: number; note: string }
}
