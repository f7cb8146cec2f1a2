// NAT discovery as data: which test, from which socket, to which address, after what, with what
// budget. buildNatPlan and nextSteps are pure (test/core/nat/plan.test.ts reads plans as tables);
// execute.ts runs a plan over sockets. The idea is tailscale's net/netcheck, which builds its probe
// plan as data and tests it without sockets.
//
// Every independent test runs at once on its own socket, so a whole run takes about one quiet
// window (how long we wait before calling a changed-source reply "filtered"), not a sum of timeouts:
//   mapping socket (A)    test I to the primary address, then tests II and III to the alternate address
//   filtering socket (F)  a fresh socket that never talks to the alternate address: a plain request
//                         (the control) plus the two CHANGE-REQUEST tests, all to the primary address
//   hairpin socket (H)    after test I: a request to our own mapped address, caught on socket A
//   TCP                   only while UDP is silent: a connect to the server's port tells "UDP blocked" from "down"
//
// Addresses that only a reply tells (the server's OTHER-ADDRESS, our own mapping) are named, not
// known: nextSteps fills them in, and a step whose address cannot be filled in is skipped. That is the
// whole branching of RFC 5780: a server without a usable OTHER-ADDRESS skips the tests that need one.
//
// To add a test: a NatTestName (src/shared/nat.ts), a step here, its label in format.ts, and what it
// means in classify.ts. A new kind of step (not a Binding transaction) also needs a case in execute.ts.
import type { NatEndpoint, NatFamily, NatTestName } from '../../shared/nat'
import { otherAddressProblem } from './classify'
import type { NatTiming } from './timing'

export type Target =
  | { kind: 'primary' }
  | { kind: 'server2' }
  /** The usable OTHER-ADDRESS in `of`'s reply: as given, its IP with the primary's port, or the primary's IP with its port. */
  | { kind: 'other'; of: NatTestName; part: 'ip-and-port' | 'ip' | 'port' }
  /** Our public address as `of`'s reply shows it. */
  | { kind: 'mapped'; of: NatTestName }

/** A wait that follows the path: max(floorMs, rtts x the smoothed RTT so far), read when the step starts. */
export interface Wait {
  floorMs: number
  rtts: number
}

export interface Budget {
  /** Give up this long after the first transmission. */
  giveUp: Wait
  /** Also stop this long after the start (tests that may rightly stay silent get one quiet window). */
  stopAfter?: Wait
  /** Most transmissions (RFC 5389's Rc is 7). Absent: resend until giving up (the hairpin probe, every max(RTO, window / 3)). */
  transmissions?: number
  /** 'shared': the run's RTO estimator (the primary server's path); 'own': a fresh one (another server). */
  rto?: 'shared' | 'own'
  /**
   * Resend at a fixed interval instead of doubling the RTO: every RTO ('rto'), or evenly over the
   * quiet window ('stopAfter'). On a lossy path every transmission is one more chance, and a
   * conclusion drawn from silence must rest on many of them (at 20% loss each way, 7 all lost: 1 in 1300).
   */
  spread?: 'rto' | 'stopAfter'
  /**
   * Send the test once more (a new transaction, a second window) when it timed out and
   * 'loss': the run has seen loss (a reply that needed a retransmission, or an expected answer that never came);
   * 'server-answers': any other UDP test got an answer (the server is there: silence here is loss).
   */
  retry?: 'loss' | 'server-answers'
}

export type SocketRole = 'mapping' | 'filtering' | 'hairpin' | 'tcp'

export interface PlanStep {
  test: NatTestName
  /** binding: a STUN Binding transaction; hairpin: a request to our own mapping, watched for on the mapping socket; tcp: one connect. */
  kind: 'binding' | 'hairpin' | 'tcp'
  socket: SocketRole
  to: Target
  change?: { ip: boolean; port: boolean }
  /** Sources whose reply counts (others are recorded as ignored). Default: `to` only. */
  acceptFrom?: Target[]
  /** Starts once these tests have settled (answered, given up or skipped). */
  after: NatTestName[]
  /** ...and not before this many ms from the start. A step still waiting for its time when all else has settled is dropped. */
  atMs?: number
  /** Skipped when one of these got a UDP answer by then. */
  unlessAnswered?: NatTestName[]
  /** Stopped when TCP connects while UDP stays silent (the server is there; UDP is blocked). */
  stopWhenUdpBlocked?: boolean
  /** Already run by the server pick (several candidates), on the winner's socket. */
  byPick?: boolean
  budget: Budget
}

export interface NatPlan {
  family: NatFamily
  /** More than one: each is sent test I at once from its own socket; the first usable OTHER-ADDRESS wins, else the first answer. */
  candidates: NatEndpoint[]
  server2: NatEndpoint | null
  /** In start order: steps ready at the same moment start in this order. */
  steps: PlanStep[]
  /** Mapping lifetime (lifetime.ts, its own sockets and schedule): idle times tried, in seconds; null when not measured. */
  lifetimeStepsS: number[] | null
  /** More TCP endpoints for the UDP-silence check (TURN over TCP or TLS): a network that only lets TCP to 443 out still says "UDP blocked". */
  tcpAlso?: NatEndpoint[]
}

export interface PlanInput {
  family: NatFamily
  candidates: NatEndpoint[]
  server2?: NatEndpoint | null
  hairpin: boolean
  lifetimeStepsS?: number[] | null
  timing: NatTiming
  tcpAlso?: NatEndpoint[]
}

/** RFC 5389's Rc. */
export const MAX_TRANSMISSIONS = 7
/** A UDP answer to one of these means the server is reachable over UDP (no TCP fallback). */
export const UDP_EVIDENCE: NatTestName[] = ['mapping-1', 'filtering-1']

export function buildNatPlan(input: PlanInput): NatPlan {
  const t = input.timing
  const firstAnswer: Wait = { floorMs: t.firstAnswerMs, rtts: 0 }
  const quiet: Wait = { floorMs: t.quietFloorMs, rtts: t.quietRtts }
  const expected: Wait = { floorMs: t.expectedAnswerMs, rtts: 8 }
  const shared = (giveUp: Wait, stopAfter?: Wait): Budget => ({ giveUp, ...(stopAfter ? { stopAfter } : {}), transmissions: MAX_TRANSMISSIONS, rto: 'shared' })
  // Tests that should be answered: resent every RTO, and sent again when the server answers others.
  const expectAnswer = (giveUp: Wait): Budget => ({ ...shared(giveUp), spread: 'rto', retry: 'server-answers' })
  // Tests that may rightly stay silent (filtered): spread over the quiet window, sent again when the path loses packets.
  const maySilence = (giveUp: Wait, stopAfter: Wait): Budget => ({ ...shared(giveUp, stopAfter), spread: 'stopAfter', retry: 'loss' })
  const primary: Target = { kind: 'primary' }
  const server2 = input.server2 ?? null
  const pick = input.candidates.length > 1
  const otherOf = (of: NatTestName, part: 'ip-and-port' | 'ip' | 'port'): Target => ({ kind: 'other', of, part })

  const steps: PlanStep[] = [
    pick
      ? { test: 'mapping-1', kind: 'binding', socket: 'mapping', to: primary, after: [], byPick: true, budget: { giveUp: firstAnswer, transmissions: MAX_TRANSMISSIONS, rto: 'own' } }
      : { test: 'mapping-1', kind: 'binding', socket: 'mapping', to: primary, after: [], stopWhenUdpBlocked: true, budget: expectAnswer(firstAnswer) },
    { test: 'filtering-1', kind: 'binding', socket: 'filtering', to: primary, after: [], stopWhenUdpBlocked: true, budget: expectAnswer(firstAnswer) }
  ]
  if (server2) {
    // Without RFC 5780, the mappings toward two servers are compared (as netcheck does).
    steps.push({ test: 'mapping-server2', kind: 'binding', socket: 'mapping', to: { kind: 'server2' }, after: [], stopWhenUdpBlocked: true, budget: { giveUp: firstAnswer, transmissions: MAX_TRANSMISSIONS, rto: 'own' } })
  }
  // Filtering: the control's OTHER-ADDRESS says where changed replies come from; both CHANGE-REQUEST
  // tests go out at once, still only to the primary address, and get one quiet window. A reply from
  // the primary is accepted too: it shows a server ignoring CHANGE-REQUEST.
  steps.push(
    { test: 'filtering-2', kind: 'binding', socket: 'filtering', to: primary, change: { ip: true, port: true }, acceptFrom: [otherOf('filtering-1', 'ip-and-port'), primary], after: ['filtering-1'], budget: maySilence(firstAnswer, quiet) },
    { test: 'filtering-3', kind: 'binding', socket: 'filtering', to: primary, change: { ip: false, port: true }, acceptFrom: [otherOf('filtering-1', 'port'), primary], after: ['filtering-1'], budget: maySilence(firstAnswer, quiet) }
  )
  if (input.hairpin) {
    steps.push({ test: 'hairpin', kind: 'hairpin', socket: 'hairpin', to: { kind: 'mapped', of: 'mapping-1' }, after: ['mapping-1'], budget: { giveUp: quiet, rto: 'shared' } })
  }
  // Mapping tests II and III go to the alternate address only once filtering is decided: a NAT whose
  // filter state is per host rather than per mapping (iptables' `recent`, some home routers) would
  // otherwise let the alternate address in for the fresh socket too and look full cone.
  const afterFiltering: NatTestName[] = ['mapping-1', 'filtering-2', 'filtering-3']
  steps.push(
    { test: 'mapping-2', kind: 'binding', socket: 'mapping', to: otherOf('mapping-1', 'ip'), after: afterFiltering, budget: expectAnswer(expected) },
    { test: 'mapping-3', kind: 'binding', socket: 'mapping', to: otherOf('mapping-1', 'ip-and-port'), after: afterFiltering, budget: expectAnswer(expected) }
  )
  // UDP silence: after a short while, ask TCP whether the server is there at all.
  steps.push({ test: 'tcp-connect', kind: 'tcp', socket: 'tcp', to: primary, after: [], atMs: t.tcpProbeAfterMs, unlessAnswered: UDP_EVIDENCE, budget: { giveUp: firstAnswer, transmissions: 1 } })

  return { family: input.family, candidates: input.candidates, server2, steps, lifetimeStepsS: input.lifetimeStepsS ?? null, ...(input.tcpAlso?.length ? { tcpAlso: input.tcpAlso } : {}) }
}

/** What the replies so far tell (only answered tests are here). */
export interface Answer {
  mapped?: NatEndpoint
  otherAddress?: NatEndpoint
}

export interface PlanState {
  primary: NatEndpoint
  server2: NatEndpoint | null
  answers: ReadonlyMap<NatTestName, Answer>
  /** Answered, given up, or skipped. */
  settled: ReadonlySet<NatTestName>
  started: ReadonlySet<NatTestName>
  /** Steps whose `atMs` has passed. */
  due: ReadonlySet<NatTestName>
}

export function waitMs(wait: Wait, srttMs: number | undefined): number {
  return Math.max(wait.floorMs, wait.rtts * (srttMs ?? 0))
}

/** The address a target names now, or undefined while (or because) no reply tells it. */
export function resolveTarget(target: Target, state: Pick<PlanState, 'primary' | 'server2' | 'answers'>): NatEndpoint | undefined {
  const primary = state.primary
  switch (target.kind) {
    case 'primary':
      return primary
    case 'server2':
      return state.server2 ?? undefined
    case 'mapped':
      return state.answers.get(target.of)?.mapped
    case 'other': {
      const other = state.answers.get(target.of)?.otherAddress
      if (!other || otherAddressProblem(primary, other)) return undefined
      if (target.part === 'ip') return { address: other.address, port: primary.port }
      if (target.part === 'port') return { address: primary.address, port: other.port }
      return other
    }
  }
}

export type Decision = { step: PlanStep; start: { target: NatEndpoint; acceptFrom?: NatEndpoint[] } } | { step: PlanStep; skip: string }

/** The steps to start or skip now, in plan order. A skip settles its step, which may ready others. */
export function nextSteps(plan: NatPlan, state: PlanState): Decision[] {
  const settled = new Set(state.settled)
  const decided = new Set<NatTestName>()
  const out: Decision[] = []
  let changed = true
  while (changed) {
    changed = false
    for (const step of plan.steps) {
      if (step.byPick || decided.has(step.test) || settled.has(step.test) || state.started.has(step.test)) continue
      if (!step.after.every((n) => settled.has(n))) continue
      if (step.atMs !== undefined && !state.due.has(step.test)) continue
      decided.add(step.test)
      const skip = skipReason(step, state)
      if (skip) {
        settled.add(step.test)
        out.push({ step, skip })
        changed = true
        continue
      }
      const target = resolveTarget(step.to, state)!
      const acceptFrom = step.acceptFrom?.map((a) => resolveTarget(a, state)!)
      out.push({ step, start: acceptFrom ? { target, acceptFrom } : { target } })
    }
  }
  return out
}

function skipReason(step: PlanStep, state: PlanState): string | undefined {
  const answered = step.unlessAnswered?.find((n) => state.answers.has(n))
  if (answered) return `${answered} was answered`
  for (const target of [step.to, ...(step.acceptFrom ?? [])]) {
    if (!resolveTarget(target, state)) return target.kind === 'other' ? `no usable OTHER-ADDRESS from ${target.of}` : target.kind === 'mapped' ? `no mapped address from ${target.of}` : `no ${target.kind}`
  }
  return undefined
}

/** Done when every step has settled, except steps still waiting for their time (fallbacks never lengthen a run). */
export function planFinished(plan: NatPlan, state: Pick<PlanState, 'settled' | 'started' | 'due'>): boolean {
  return plan.steps.every((s) => s.byPick || state.settled.has(s.test) || (s.atMs !== undefined && !state.started.has(s.test) && !state.due.has(s.test)))
}
