// One discovery run's resources: its sockets, its clock, its timers, its RTO estimator, its progress.
import type { NatEndpoint, NatFamily, NatProgress, NatTest, NatTestName } from '../../shared/nat'
import { RtoEstimator } from '../stun/rto'
import { StunSocket, type Transaction, type TransactionOutcome } from '../stun/transaction'
import { waitMs, type Wait } from './plan'
import type { NatTiming } from './timing'

export class Run {
  readonly t0 = performance.now()
  readonly sockets: StunSocket[] = []
  /** The primary server's path: its replies feed it, its retransmissions read it. */
  readonly rto = new RtoEstimator()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(
    readonly family: NatFamily,
    readonly timing: NatTiming,
    readonly progress: (p: NatProgress) => void
  ) {}

  async open(): Promise<StunSocket> {
    const socket = await StunSocket.open(this.family)
    this.sockets.push(socket)
    return socket
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  wait(w: Wait): number {
    return waitMs(w, this.rto.srttMs)
  }

  /** The quiet window: how long a test may stay silent after a comparable request was answered. */
  quietMs(): number {
    return this.wait({ floorMs: this.timing.quietFloorMs, rtts: this.timing.quietRtts })
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  async close(): Promise<void> {
    this.clearTimers()
    await Promise.all(this.sockets.map((s) => s.close()))
  }
}

export interface BindingStart {
  giveUpMs: number
  rto: RtoEstimator
  change?: { ip: boolean; port: boolean }
  acceptFrom?: (from: NatEndpoint) => boolean
  maxTransmissions?: number
  intervalMs?: number
}

/** Starts one Binding test with its progress events; `test` resolves when it is settled. */
export function startBinding(run: Run, name: NatTestName, socket: StunSocket, target: NatEndpoint, o: BindingStart): { tx: Transaction; test: Promise<NatTest> } {
  run.progress({ kind: 'test-start', name, target })
  const tx = socket.request(target, {
    rto: o.rto,
    giveUpMs: o.giveUpMs,
    changeIp: o.change?.ip,
    changePort: o.change?.port,
    acceptFrom: o.acceptFrom,
    maxTransmissions: o.maxTransmissions,
    intervalMs: o.intervalMs
  })
  const test = tx.done.then((outcome) => {
    const t = toTest(name, target, outcome, o.change)
    run.progress({ kind: 'test-done', test: t })
    return t
  })
  return { tx, test }
}

function toTest(name: NatTestName, target: NatEndpoint, outcome: TransactionOutcome, change?: { ip: boolean; port: boolean }): NatTest {
  const base = { name, target, ...(change ? { change } : {}) }
  const ms = Math.round(outcome.result === 'reply' ? outcome.reply.ms : outcome.ms)
  if (outcome.result === 'reply') {
    const m = outcome.reply.message
    const test: NatTest = { ...base, result: 'reply', mapped: m.mapped ?? null, from: outcome.reply.from, ms, attempts: outcome.reply.attempts }
    if (m.otherAddress) test.otherAddress = m.otherAddress
    if (m.kind === 'error') {
      test.errorCode = m.error?.code ?? 0
      test.detail = `error response ${m.error?.code ?? '?'} ${m.error?.reason ?? ''}`.trim()
    }
    return test
  }
  if (outcome.result === 'error') return { ...base, result: 'error', mapped: null, from: null, ms, attempts: outcome.attempts, detail: outcome.detail }
  return { ...base, result: 'timeout', mapped: null, from: null, ms, attempts: outcome.attempts }
}
