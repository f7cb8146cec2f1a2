// The verdict banner (with the prediction beside it) and the path diagram.
import type { SelectedPair } from '../../../shared/session'
import { comparePrediction } from '../../../shared/diagnosis/prediction'
import { candidateLabel, hostPort } from '../../../shared/format'
import { relayEnd } from '../../../shared/path'
import type { LiveSession } from './liveSession'
import { phaseDetail } from './steps'

export type Tone = 'direct' | 'tunneled' | 'relayed' | 'failed' | 'pending' | 'cancelled'

export interface VerdictView {
  tone: Tone
  title: string
  reason: string
  /** differs: how the outcome contradicts the prediction, when it does (the shared rule's words). */
  prediction: { title: string; reason: string; disagrees: boolean; differs: string } | undefined
  attempts: string[]
}

const PHASE_TITLES: Record<string, string> = {
  starting: 'Starting…',
  signaling: 'Signaling',
  gathering: 'Gathering candidates',
  checking: 'Checking candidate pairs',
  connected: 'Connected: measuring the path',
  measuring: 'Connected: measuring the path',
  closed: 'Closed'
}

const VERDICT_TITLES: Record<Exclude<Tone, 'pending' | 'cancelled'>, string> = {
  direct: 'Direct connection',
  tunneled: 'Through a VPN tunnel (not a direct internet path)',
  relayed: 'Relayed through TURN',
  failed: 'No connection'
}

export function verdictView(s: LiveSession): VerdictView {
  const prediction = s.report?.prediction ?? s.prediction
  const fromReport = (s.report?.connection.attempts ?? []).map(
    (a) => `${a.policy === 'relay' ? 'relay-only' : 'all candidates'}: ${a.outcome}${a.verdict ? ` (${a.verdict})` : ''}${a.used ? ', used' : ''}: ${a.reason}`
  )
  const attempts = fromReport.length
    ? fromReport
    : s.attempts.map((a) => `attempt ${a.attempt} (${a.policy === 'relay' ? 'relay only' : 'all candidates'}): ${a.outcome}${a.reason ? `: ${a.reason}` : ''}`)
  if (s.end && !s.end.ok) {
    const title = s.end.code === 'cancelled' ? 'Cancelled' : s.end.code === 'bad-input' ? 'Cannot start' : s.end.code === 'no-reply' ? 'No reply' : 'Failed'
    return { tone: s.end.code === 'cancelled' ? 'cancelled' : 'failed', title, reason: s.end.error, prediction: undefined, attempts }
  }
  // The verdict event comes before the measurements: shown at once, the report's word replaces it at the end.
  const conn = s.report?.connection ?? s.verdict
  const check = prediction && conn ? comparePrediction(prediction.verdict, conn.verdict) : undefined
  const predicted = prediction
    ? {
        title: prediction.verdict === 'unknown' ? 'Prediction: unknown' : `Predicted: ${prediction.verdict}`,
        reason: prediction.reason,
        disagrees: check?.agrees === false,
        differs: check?.agrees === false ? check.text : ''
      }
    : undefined
  // The phase's own detail, never a stale "waiting for a joiner" from the signaling step.
  if (!conn) return { tone: 'pending', title: PHASE_TITLES[s.phase] ?? s.phase, reason: phaseDetail(s), prediction: predicted, attempts }
  const title = VERDICT_TITLES[conn.verdict]
  return { tone: conn.verdict, title, reason: conn.reason, prediction: predicted, attempts }
}

export interface PathView {
  kind: 'direct' | 'tunnel' | 'relay' | 'none'
  local: string
  remote: string
  relay: string
  /** Both ends are host candidates that reached each other (same LAN, loopback, a VPN): no NAT on the path. */
  sameNetwork: boolean
  /** In a relayed session: why the direct attempt failed, drawn where it broke. */
  directFailed: string | undefined
}

/** `verdict`: a non-relayed path the session called tunneled is drawn as a tunnel, not as direct. */
export function pathView(selected: SelectedPair | null, attempts: Array<{ policy: string; outcome: string; reason?: string | undefined }> = [], verdict?: string): PathView {
  const failedDirect = attempts.find((a) => a.policy === 'all' && (a.outcome === 'failed' || a.outcome === 'abandoned'))
  if (!selected) return { kind: 'none', local: 'this side', remote: 'other side', relay: '', sameNetwork: false, directFailed: undefined }
  const relay = relayEnd(selected)
  // Two interface addresses that reach each other untranslated: no NAT sits between them (LAN, loopback, VPN).
  const sameNetwork = !relay && selected.local.type === 'host' && selected.remote.type === 'host'
  return {
    kind: relay ? 'relay' : verdict === 'tunneled' ? 'tunnel' : 'direct',
    local: candidateLabel(selected.local),
    remote: candidateLabel(selected.remote),
    relay: relay ? hostPort(relay.address, relay.port) : '',
    sameNetwork,
    directFailed: relay ? (failedDirect?.reason ?? 'the direct attempt did not connect') : undefined
  }
}

/** The attempts as the path diagram reads them: the report's, else the live events. */
export function pathAttempts(s: LiveSession): Array<{ policy: string; outcome: string; reason?: string | undefined }> {
  const fromReport = s.report?.connection.attempts
  return fromReport?.length ? fromReport.map((a) => ({ policy: a.policy, outcome: a.outcome, reason: a.reason })) : s.attempts
}
