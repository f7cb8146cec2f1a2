import type { PathMeasurement, Prediction } from '../../shared/report'
import type { NatResult } from '../../shared/nat'
import type { Role, SessionEvent, SessionResult } from '../../shared/session'
import type { HelloData } from '../../shared/protocol/hello'
import { isVersionMismatch } from '../../shared/protocol/hello'
import { decideVerdict, type RelayTransport } from '../../shared/diagnosis/verdict'
import { hairpinNote } from '../../shared/diagnosis/hairpin'
import { APP_VERSION } from '../version'
import { comparePrediction } from '../../shared/diagnosis/prediction'
import { clockOffset, type PingSample } from '../measure/rtt'
import type { CandidateInfo, PairInfo, SelectedPair } from '../../shared/session'
import { attemptRecords, pathRecords, type AttemptView } from './records'
import { uncheckedWhy } from '../../shared/pairs'

/** What a session has seen, as plain data: an attempt also carries its candidates and pairs. */
export interface SessionState {
  role: Role
  /** Why the session ended without a working channel, when it did. */
  failure: string | undefined
  startedAt: string
  attempts: Array<AttemptView & { localCandidates: CandidateInfo[]; remoteCandidates: CandidateInfo[]; pairs: ReadonlyMap<string, PairInfo> }>
  chosen: AttemptView | undefined
  paths: ReadonlyMap<number, PathMeasurement>
  events: SessionEvent[]
  /** The chosen path's pings, for the clock offset. */
  offsets: PingSample[]
  peer?: HelloData
  prediction?: Prediction
  nat: NatResult | null | undefined
  peerNat: NatResult | null | undefined
  /** How the chosen attempt reached its TURN server, when it did. */
  relayTransport?: RelayTransport
  /** When the path was chosen, and when the measurements ended. */
  verdictAtMs?: number
  measuredAtMs?: number
}

/** The session's result: the verdict (with the prediction's disagreement, if any), candidates, attempts and paths. */
export function sessionResult(s: SessionState): SessionResult {
  const chosen = s.chosen
  const channelWorks = chosen !== undefined
  const decided = decideVerdict({
    selectedPair: chosen?.selected ?? null,
    channelWorks,
    failure: s.failure,
    tunnel: chosen?.selected ? tunnelOf(chosen.selected, s.attempts.find((a) => a.id === chosen.id)?.localCandidates ?? []) : null,
    relayTransport: s.relayTransport ?? null
  })
  let reason = decided.reason
  if (decided.verdict === 'direct') reason += hairpinNote(chosen?.selected ?? null, s.nat?.mapped ? [s.nat.mapped.address] : [])
  if (s.prediction) {
    const c = comparePrediction(s.prediction.verdict, decided.verdict)
    if (c.agrees === false && c.note) reason = `${reason}. ${c.note[0]!.toUpperCase()}${c.note.slice(1)}`
  }
  const offset = clockOffset(s.offsets)
  const result: SessionResult = {
    role: s.role,
    verdict: decided.verdict,
    reason,
    selectedPair: channelWorks ? (chosen.selected ?? null) : null,
    rttMs: (chosen && s.paths.get(chosen.id)?.rtt?.p50Ms) ?? null,
    startedAt: s.startedAt,
    connectedAfterMs: chosen?.connectedAtMs ?? null,
    localCandidates: s.attempts.flatMap((a) => a.localCandidates),
    remoteCandidates: s.attempts.flatMap((a) => a.remoteCandidates),
    pairs: s.attempts.flatMap((a) => [...a.pairs.values()].map((p) => withUnchecked(p, a))),
    events: [...s.events],
    // The used attempt's verdict follows the session's (a direct-looking pair on a tunnel is tunneled).
    attempts: attemptRecords(s.attempts, s.paths, chosen).map((a) => (a.used && a.verdict === 'direct' && decided.verdict === 'tunneled' ? { ...a, verdict: decided.verdict } : a)),
    paths: pathRecords(s.paths.values())
  }
  if (s.verdictAtMs !== undefined) result.verdictAfterMs = s.verdictAtMs
  if (s.measuredAtMs !== undefined) result.measuredAfterMs = s.measuredAtMs
  if (s.peer) result.peer = s.peer
  if (s.prediction) result.prediction = s.prediction
  if (s.nat !== undefined) result.nat = s.nat
  if (s.peerNat !== undefined) result.peerNat = s.peerNat
  if (offset) {
    result.peerClockOffsetMs = offset.offsetMs
    result.peerClockOffsetErrorMs = offset.errorMs
  }
  if (s.peer && isVersionMismatch(APP_VERSION, s.peer.version)) result.versionMismatch = `this side runs peerlens ${APP_VERSION}, the other side ${s.peer.version}`
  return result
}

/** The VPN-like interface the selected pair's local candidate sits on (its base, for srflx and prflx), if it does. */
export function tunnelOf(selected: SelectedPair, locals: CandidateInfo[]): string | null {
  if (selected.local.type === 'relay') return null
  const same = (c: CandidateInfo) => c.address === selected.local.address && c.port === selected.local.port
  const base = (c: CandidateInfo) => c.relatedAddress?.address === selected.local.address
  const c = locals.find(same) ?? locals.find((x) => x.type === 'host' && x.address === selected.local.address) ?? locals.find(base)
  return c?.vpnLike && c.interface ? c.interface : null
}

/** A pair the attempt never checked says why (the sampler may have stopped before the attempt ended). */
function withUnchecked(p: PairInfo, a: AttemptView): PairInfo {
  if (p.unchecked) return p
  const unchecked = uncheckedWhy(p, { connected: a.selected !== null, ended: a.failure !== undefined })
  return unchecked ? { ...p, unchecked } : p
}
