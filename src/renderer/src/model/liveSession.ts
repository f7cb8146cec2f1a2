// One side's session as the dashboard sees it, built by folding the pushed RunEvents (live) or
// a saved report's events (Open report) through the same pure reducer.
import type { RunEvent } from '../../../shared/run'
import type { CandidateInfo, PairInfo, Role, SelectedPair, SessionEvent, SessionPhase } from '../../../shared/session'
import type { InterfaceAddressInfo } from '../../../shared/net'
import type { Prediction, Report, ServerProbe, SideReport } from '../../../shared/report'
import type { SessionEnd } from '../../../shared/ipc'

/** The timeline keeps this many events; pair updates can be chatty on big machines. */
export const MAX_EVENTS = 2000

/** What the core says live about a side's NAT (the full result arrives with the report). */
export type NatSummary = Omit<Extract<SessionEvent, { kind: 'nat' }>, 'kind' | 'atMs' | 'side'>
export type AttemptEvent = Extract<SessionEvent, { kind: 'attempt' }>
export type PathMetricsEvent = Extract<SessionEvent, { kind: 'path-metrics' }>

export interface LiveSession {
  sessionId: string
  role: Role
  phase: SessionPhase | 'starting'
  iceState?: string
  invite?: string
  addresses: Array<{ address: InterfaceAddressInfo; url: string }>
  waiting?: string
  joinedRoom?: string
  blobs: { offer?: string; answer?: string }
  /** Manual host: the joiner's answer blob was handed to the core. */
  answered?: boolean
  local: CandidateInfo[]
  remote: CandidateInfo[]
  pairs: PairInfo[]
  selected: SelectedPair | null
  probes: Array<{ atMs: number; rttMs: number }>
  /** NAT behaviour per side, as exchanged during the session. */
  nat: Partial<Record<Role, NatSummary>>
  prediction?: Prediction
  /** The path chosen, as soon as the core knows it (its measurements follow; the report confirms it at the end). */
  verdict?: { verdict: Extract<SessionEvent, { kind: 'verdict' }>['verdict']; reason: string }
  /** The latest state of each ICE attempt (all candidates, relay only). */
  attempts: AttemptEvent[]
  pathMetrics: Partial<Record<'direct' | 'relay', PathMetricsEvent>>
  warnings: string[]
  /** This side's probe of each configured STUN/TURN server. */
  servers: ServerProbe[]
  peer?: { name: string; version: string; features: string[] }
  events: RunEvent[]
  errors: string[]
  end?: SessionEnd
  /** The report holding both sides, once the session ended (or the report that was opened). */
  report?: Report
  reportId?: string
  /** Date.now() when this window started the session (for the elapsed time). */
  startedAt?: number
  /** Set when the session was loaded from a file. */
  openedFrom?: string
}

export function newSession(sessionId: string, role: Role): LiveSession {
  return { sessionId, role, phase: 'starting', addresses: [], blobs: {}, local: [], remote: [], pairs: [], selected: null, probes: [], nat: {}, attempts: [], pathMetrics: {}, warnings: [], servers: [], events: [], errors: [] }
}

function sameCandidate(a: CandidateInfo, b: CandidateInfo): boolean {
  return a.type === b.type && a.protocol === b.protocol && a.address === b.address && a.port === b.port
}

function addCandidate(list: CandidateInfo[], c: CandidateInfo): CandidateInfo[] {
  return list.some((x) => sameCandidate(x, c)) ? list : [...list, c]
}

function upsertPair(list: PairInfo[], pair: PairInfo): PairInfo[] {
  const i = list.findIndex((p) => p.id === pair.id)
  if (i < 0) return [...list, pair]
  const next = list.slice()
  next[i] = pair
  return next
}

export function applyRunEvent(s: LiveSession, e: RunEvent): LiveSession {
  const events = s.events.length >= MAX_EVENTS ? [...s.events.slice(1), e] : [...s.events, e]
  const n: LiveSession = { ...s, events }
  switch (e.kind) {
    case 'phase':
      n.phase = e.phase
      break
    case 'ice-state':
      n.iceState = e.state
      break
    case 'invite':
      n.invite = e.url
      break
    case 'address':
      n.addresses = [...s.addresses, { address: e.address, url: e.url }]
      break
    case 'waiting':
      n.waiting = e.detail
      break
    case 'joined':
      n.joinedRoom = e.room
      break
    case 'blob':
      n.blobs = { ...s.blobs, [e.which]: e.blob }
      break
    case 'local-candidate':
      n.local = addCandidate(s.local, e.candidate)
      break
    case 'remote-candidate':
      n.remote = addCandidate(s.remote, e.candidate)
      break
    case 'pair':
      n.pairs = upsertPair(s.pairs, e.pair)
      break
    case 'selected-pair':
      n.selected = e.pair
      break
    case 'probe':
      n.probes = [...s.probes, { atMs: e.atMs, rttMs: e.rttMs }]
      break
    case 'peer-hello':
      n.peer = { name: e.name, version: e.version, features: e.features }
      break
    case 'error':
      n.errors = [...s.errors, e.message]
      break
    case 'warning':
      n.warnings = [...s.warnings, e.message]
      break
    case 'nat': {
      const { kind: _k, atMs: _a, side, ...summary } = e
      n.nat = { ...s.nat, [side]: summary }
      break
    }
    case 'prediction':
      n.prediction = { verdict: e.verdict, reason: e.reason }
      break
    case 'verdict':
      n.verdict = { verdict: e.verdict, reason: e.reason }
      break
    case 'attempt':
      n.attempts = [...s.attempts.filter((a) => a.attempt !== e.attempt), e].sort((a, b) => a.attempt - b.attempt)
      break
    case 'path-metrics':
      n.pathMetrics = { ...s.pathMetrics, [e.path]: e }
      break
    case 'servers':
      n.servers = e.probes
      break
    default:
      // signal, gathering, channel-open and kinds from newer cores: timeline only.
      break
  }
  return n
}

export function applyEnd(s: LiveSession, end: SessionEnd): LiveSession {
  const n: LiveSession = { ...s, end }
  if (end.ok) {
    // The result is the authority: it holds everything, including what the live stream dropped.
    const r = end.result
    n.local = r.localCandidates
    n.remote = r.remoteCandidates
    n.pairs = r.pairs
    n.selected = r.selectedPair
    n.peer = r.peer ?? s.peer
    n.phase = r.verdict === 'failed' ? 'failed' : 'done'
    n.report = end.report
    n.reportId = end.reportId
  } else {
    n.phase = 'failed'
  }
  return n
}

/** The writing side's session, replayed from a saved report. */
export function sessionFromReport(report: Report, reportId: string, path: string): LiveSession {
  const own = report.sides.find((side): side is SideReport => side.role === report.writtenBy && !side.missing)
  let s = newSession(reportId, report.writtenBy)
  for (const e of own?.events ?? []) s = applyRunEvent(s, e)
  s = {
    ...s,
    local: own?.candidates.local ?? s.local,
    remote: own?.candidates.remote ?? s.remote,
    pairs: own?.pairs ?? s.pairs,
    servers: own?.servers ?? s.servers,
    selected: report.connection.selectedPair,
    phase: report.connection.verdict === 'failed' ? 'failed' : 'done',
    openedFrom: path,
    report,
    reportId
  }
  return s
}
