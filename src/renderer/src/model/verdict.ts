// The verdict banner (with the prediction beside it) and the path diagram.
import type { SelectedPair } from '../../../shared/session'
import { comparePrediction } from '../../../shared/diagnosis/prediction'
import { candidateLabel, hostPort } from '../../../shared/format'
import { relayEnd } from '../../../shared/path'
import type { LiveSession } from './liveSession'

export type Tone = 'direct' | 'tunneled' | 'relayed' | 'failed' | 'pending'

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
  signaling: 'Signaling: waiting for the other side',
  gathering: 'Gathering candidates',
  checking: 'Checking candidate pairs',
  connected: 'Connected: measuring the path',
  measuring: 'Connected: measuring the path',
  closed: 'Closed'
}

const VERDICT_TITLES: Record<Exclude<Tone, 'pending'>, string> = {
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
    return { tone: 'failed', title, reason: s.end.error, prediction: undefined, attempts }
  }
  const conn = s.report?.connection
  const check = prediction && conn ? comparePrediction(prediction.verdict, conn.verdict) : undefined
  const predicted = prediction
    ? {
        title: prediction.verdict === 'unknown' ? 'Prediction: unknown' : `Predicted: ${prediction.verdict}`,
        reason: prediction.reason,
        disagrees: check?.agrees === false,
        differs: check?.agrees === false ? check.text : ''
      }
    : undefined
  if (!conn) return { tone: 'pending', title: PHASE_TITLES[s.phase] ?? s.phase, reason: s.waiting ?? '', prediction: predicted, attempts }
  const title = VERDICT_TITLES[conn.verdict]
  return { tone: conn.verdict, title, reason: conn.reason, prediction: predicted, attempts }
}

export interface PathView {
  kind: 'direct' | 'tunnel' | 'relay' | 'none'
  local: string
  remote: string
  relay: string
}

/** `verdict`: a non-relayed path the session called tunneled is drawn as a tunnel, not as direct. */
export function pathView(selected: SelectedPair | null, verdict?: string): PathView {
  if (!selected) return { kind: 'none', local: 'this side', remote: 'other side', relay: '' }
  const relay = relayEnd(selected)
  return {
    kind: relay ? 'relay' : verdict === 'tunneled' ? 'tunnel' : 'direct',
    local: candidateLabel(selected.local),
    remote: candidateLabel(selected.remote),
    relay: relay ? hostPort(relay.address, relay.port) : ''
  }
}
