// Runs a NAT plan (plan.ts) over sockets: starts each step when nextSteps says so, records what
// happened as NatTests, and stops when the plan is finished. What the tests mean is classify.ts's.
import type { NatEndpoint, NatLifetime, NatServerReach, NatTest, NatTestName } from '../../shared/nat'
import { sameEndpoint } from '../stun/address'
import { RtoEstimator } from '../stun/rto'
import type { StunSocket, Transaction, TransactionOutcome } from '../stun/transaction'
import { hairpinTest } from './hairpin'
import { measureMappingLifetime } from './lifetime'
import { MAX_TRANSMISSIONS, nextSteps, planFinished, UDP_EVIDENCE, type Answer, type NatPlan, type PlanStep } from './plan'
import { startBinding, type Run } from './run'
import { tcpProbe, type TcpProbeOutcome } from './tcpProbe'

/** The order of `NatResult.tests`. */
const TEST_ORDER: NatTestName[] = ['mapping-1', 'mapping-2', 'mapping-3', 'mapping-server2', 'filtering-1', 'filtering-2', 'filtering-3', 'hairpin', 'tcp-connect']

/** Test I as the server pick ran it (several candidates): its socket becomes the mapping socket. */
export interface Picked {
  server: NatEndpoint
  socket: StunSocket
  test: Promise<NatTest>
  outcome: Promise<TransactionOutcome>
}

export interface Executed {
  tests: NatTest[]
  /** The socket of test I (its port is the local port of the mapping). */
  mapping: StunSocket
  serverReach: NatServerReach
  lifetime?: NatLifetime
}

export async function executePlan(run: Run, plan: NatPlan, primary: NatEndpoint, pre?: Picked): Promise<Executed> {
  const sockets = { mapping: pre?.socket ?? (await run.open()), filtering: await run.open() }
  const answers = new Map<NatTestName, Answer>()
  const settled = new Set<NatTestName>()
  const started = new Set<NatTestName>()
  const due = new Set<NatTestName>()
  const tests = new Map<NatTestName, NatTest>()
  const silent: Transaction[] = []
  const state = { primary, server2: plan.server2, answers, settled, started, due }
  const heard = () => UDP_EVIDENCE.some((n) => answers.has(n))
  let tcp: { test: Promise<NatTest>; cancel: () => void } | undefined
  let finish!: () => void
  const finished = new Promise<void>((resolve) => (finish = resolve))
  let over = false

  const settle = (name: NatTestName, test: NatTest | undefined, answer?: Answer) => {
    if (answer) answers.set(name, answer)
    if (test) tests.set(name, test)
    settled.add(name)
    advance()
  }
  const answerOf = (o: TransactionOutcome): Answer | undefined => (o.result === 'reply' ? { mapped: o.reply.message.mapped, otherAddress: o.reply.message.otherAddress } : undefined)

  const startStep = (step: PlanStep, target: NatEndpoint, acceptFrom?: NatEndpoint[]) => {
    started.add(step.test)
    if (step.kind === 'hairpin') {
      void hairpinTest(run, sockets.mapping, target, step.budget.giveUp).then((t) => settle(step.test, t))
      return
    }
    if (step.kind === 'tcp') {
      const started = startTcp(run, [target, ...(plan.tcpAlso ?? [])], run.wait(step.budget.giveUp), heard, silent)
      tcp = started
      void started.test.then((t) => settle(step.test, t))
      return
    }
    const socket = step.socket === 'filtering' ? sockets.filtering : sockets.mapping
    const budget = step.budget
    const once = (): Promise<[TransactionOutcome, NatTest]> => {
      const rto = budget.rto === 'own' ? new RtoEstimator() : run.rto
      const { tx, test } = startBinding(run, step.test, socket, target, {
        giveUpMs: run.wait(budget.giveUp),
        rto,
        change: step.change,
        acceptFrom: acceptFrom && ((from) => acceptFrom.some((a) => sameEndpoint(from, a))),
        maxTransmissions: budget.transmissions,
        intervalMs: intervalOf(budget, { rtoMs: rto.rtoMs, giveUpMs: run.wait(budget.giveUp), stopAfterMs: budget.stopAfter && run.wait(budget.stopAfter), srttMs: run.rto.srttMs })
      })
      if (budget.stopAfter) run.later(run.wait(budget.stopAfter), () => tx.stop())
      if (step.stopWhenUdpBlocked) silent.push(tx)
      return Promise.all([tx.done, test])
    }
    void once().then(async ([o, t]) => {
      if (t.result === 'timeout' && !over && retryWanted(budget.retry)) {
        // One lost packet (or a burst) must not read as "filtered" or "no answer": a second window.
        const [o2, t2] = await once()
        const detail = `sent again after ${t.attempts} unanswered requests (${budget.retry === 'loss' ? 'the path lost packets' : 'the server answered other tests'})`
        return settle(step.test, { ...t2, attempts: t.attempts + t2.attempts, ms: t.ms + t2.ms, detail: t2.detail ? `${detail}; ${t2.detail}` : detail }, answerOf(o2))
      }
      settle(step.test, t, answerOf(o))
    })
  }

  /** Whether a timed-out test gets a second window: the server answers others, or the path has shown loss. */
  const retryWanted = (retry: PlanStep['budget']['retry']): boolean => {
    if (!retry || !heard()) return false
    if (retry === 'server-answers') return true
    return [...tests.values()].some((t) => (t.result === 'reply' && t.attempts > 1) || (t.result === 'timeout' && EXPECTED_ANSWERS.includes(t.name as NatTestName)) || /sent again/.test(t.detail ?? ''))
  }

  const advance = () => {
    if (over) return
    for (const d of nextSteps(plan, state)) {
      if ('skip' in d) settled.add(d.step.test)
      else startStep(d.step, d.start.target, d.start.acceptFrom)
    }
    if (planFinished(plan, state)) {
      over = true
      finish()
    }
  }

  if (pre) {
    const [o, t] = await Promise.all([pre.outcome, pre.test])
    const answer = answerOf(o)
    if (answer) answers.set('mapping-1', answer)
    tests.set('mapping-1', t)
    settled.add('mapping-1')
  }
  advance()
  const lifetime = plan.lifetimeStepsS
    ? measureMappingLifetime({ server: primary, stepsS: plan.lifetimeStepsS, quietMs: () => run.quietMs(), rto: run.rto, open: () => run.open() })
    : undefined
  for (const step of plan.steps) {
    if (step.atMs === undefined) continue
    run.later(step.atMs, () => {
      due.add(step.test)
      advance()
    })
  }

  await finished
  run.clearTimers()
  tcp?.cancel()
  const tcpTest = tests.get('tcp-connect')
  return {
    tests: TEST_ORDER.flatMap((n) => tests.get(n) ?? []),
    mapping: sockets.mapping,
    serverReach: heard() ? 'udp' : tcpTest ? reachFrom(tcpTest) : 'not-tested',
    ...(lifetime ? { lifetime: await lifetime } : {})
  }
}

/** Tests a working path answers: their silence is loss (or a dead alternate address), never filtering. */
const EXPECTED_ANSWERS: NatTestName[] = ['mapping-1', 'filtering-1', 'mapping-2', 'mapping-3']

/**
 * The fixed resend interval a budget asks for: every RTO (stretched so the transmissions cover half
 * the give-up time), or evenly over the quiet window less the last round trip (a request sent then
 * could not be answered in time), never below 10 ms. Undefined: RFC 5389's doubling.
 */
export function intervalOf(budget: PlanStep['budget'], t: { rtoMs: number; giveUpMs: number; stopAfterMs?: number; srttMs?: number }): number | undefined {
  const n = budget.transmissions ?? MAX_TRANSMISSIONS
  if (budget.spread === 'rto') return Math.max(t.rtoMs, t.giveUpMs / (2 * n))
  const { stopAfterMs, srttMs } = t
  if (budget.spread === 'stopAfter' && stopAfterMs !== undefined) {
    const usable = Math.max(stopAfterMs / 2, stopAfterMs - 2 * (srttMs ?? 0))
    return Math.max(10, usable / n)
  }
  return undefined
}

function reachFrom(tcp: NatTest): NatServerReach {
  return tcp.result === 'reply' ? 'tcp-only' : tcp.result === 'error' ? 'tcp-refused' : 'unreachable'
}

/**
 * One TCP connect to the server's port (and to any TURN server's TCP or TLS port) while UDP is silent.
 * When one connects, TCP gets out: UDP gets as long as the TCP round trip says is fair, then the
 * silent UDP tests are stopped. The test's target is the endpoint that connected (else the server).
 */
function startTcp(run: Run, targets: NatEndpoint[], timeoutMs: number, heard: () => boolean, silent: Transaction[]): { test: Promise<NatTest>; cancel: () => void } {
  const timing = run.timing
  const probes = targets.map((t) => ({ target: t, probe: tcpProbe(t, timeoutMs) }))
  const outcomes = probes.map((p) => p.probe.done.then((o) => ({ target: p.target, o })))
  // The first connect wins; otherwise the server's own outcome (refused or silent) tells.
  const first = Promise.any(outcomes.map((x) => x.then((r) => (r.o.result === 'connected' ? r : Promise.reject(new Error('not connected'))))))
    .catch(() => outcomes[0]!)
    .then((r: { target: NatEndpoint; o: TcpProbeOutcome }) => {
      for (const p of probes) p.probe.cancel()
      return r
    })
  const probe = { done: first, cancel: () => probes.forEach((p) => p.probe.cancel()) }
  const test = probe.done.then(({ target: server, o }): NatTest => {
    const t: NatTest = { name: 'tcp-connect', target: server, result: o.result === 'connected' ? 'reply' : o.result === 'refused' ? 'error' : 'timeout', mapped: null, from: null, ms: Math.round(o.ms), attempts: 1 }
    if (o.detail) t.detail = o.detail
    if (o.result === 'connected') {
      const wait = Math.max(timing.udpBlockedFloorMs - (performance.now() - run.t0), Math.max(timing.quietFloorMs, timing.quietRtts * o.ms))
      run.later(wait, () => {
        if (!heard()) for (const tx of silent) tx.stop()
      })
    }
    run.progress({ kind: 'test-done', test: t })
    return t
  })
  return { test, cancel: probe.cancel }
}
