// Where a running session is: its steps in order, which one is active, how long it has run and
// what it is waiting for, so a waiting screen is never a silent spinner.
import type { SessionEvent } from '../../../shared/session'
import type { LiveSession } from './liveSession'

export type StepState = 'done' | 'active' | 'todo' | 'skipped'

export interface StepView {
  name: string
  state: StepState
}

export interface StatusView {
  steps: StepView[]
  /** 1-based number of the active step among those not skipped. */
  step: number
  total: number
  current: string
  waitingFor: string
  elapsed: string
  timeout: string
}

/** "0:07", "12:03": minutes and seconds. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

const ORDER = ['starting', 'signaling', 'gathering', 'checking', 'connected', 'measuring', 'done', 'failed', 'closed'] as const

function phaseIndex(phase: string): number {
  const i = ORDER.indexOf(phase as (typeof ORDER)[number])
  return i < 0 ? 0 : i
}

/** The detail of the latest phase event ("using attempt 1 (all candidates)"). */
export function phaseDetail(s: LiveSession): string {
  for (let i = s.events.length - 1; i >= 0; i--) {
    const e = s.events[i] as SessionEvent
    if (e.kind === 'phase') return e.detail ?? ''
  }
  return ''
}

function waitingFor(s: LiveSession): string {
  const p = s.phase
  if (p === 'starting') return s.role === 'host' ? 'the signaling server to open a room' : 'the host’s signaling server to let us in'
  if (p === 'signaling') {
    if (s.role === 'host') return s.blobs.offer ? (s.answered ? 'the joiner’s first message' : 'you to paste the joiner’s answer blob') : 'a joiner to open the invite'
    return s.blobs.answer ? 'the host to paste your answer blob' : 'the host’s offer through the signaling server'
  }
  if (p === 'gathering') return 'this machine’s addresses and the STUN/TURN servers’ answers (candidates)'
  if (p === 'checking') return 'answers to the connectivity checks on the candidate pairs'
  if (p === 'connected' || p === 'measuring') return phaseDetail(s) || 'round-trip time, loss and throughput on the path'
  return 'the other side’s half of the report'
}

export function statusView(s: LiveSession, now: number, o: { natOnSession: boolean; timeoutMs: number }): StatusView {
  const at = phaseIndex(s.phase)
  const ran = s.events.at(-1)?.atMs ?? 0
  const elapsedMs = s.startedAt !== undefined ? now - s.startedAt : ran
  const stage = (from: number, to: number): StepState => (at > to ? 'done' : at >= from ? 'active' : 'todo')
  const natDone = Boolean(s.nat[s.role])
  const steps: StepView[] = [
    { name: 'signaling', state: stage(0, 1) },
    { name: 'NAT discovery', state: !o.natOnSession ? 'skipped' : natDone ? 'done' : at >= 2 ? 'active' : 'todo' },
    { name: 'gathering candidates', state: stage(2, 2) },
    { name: 'checking pairs', state: stage(3, 3) },
    { name: 'measuring the path', state: stage(4, 5) },
    { name: 'exchanging reports', state: s.end ? 'done' : at >= 6 ? 'active' : 'todo' }
  ]
  const counted = steps.filter((x) => x.state !== 'skipped')
  // NAT discovery runs beside the connection: the step shown is the connection's.
  const main = counted.filter((x) => x.name !== 'NAT discovery')
  const active = main.find((x) => x.state === 'active') ?? main.find((x) => x.state === 'todo') ?? main.at(-1)!
  return {
    steps,
    step: counted.indexOf(active) + 1,
    total: counted.length,
    current: active.name,
    waitingFor: waitingFor(s),
    elapsed: elapsedText(elapsedMs),
    timeout: `gives up after ${Math.round(o.timeoutMs / 60_000)} min`
  }
}
