// NAT behaviour discovery: runs the RFC 5780 tests (I/O) and hands the evidence to classify.ts.
//
// Every independent test runs at once on its own socket, so a whole run takes about one quiet
// window (how long we wait before calling a changed-source reply "filtered"), not a sum of timeouts:
//   socket A  test I to the primary address, then tests II and III to the alternate address
//   socket F  a fresh socket that never talks to the alternate address: a plain request (the control)
//             plus the two CHANGE-REQUEST tests, all to the primary address
//   socket H  after test I: a request to our own mapped address, caught on socket A (hairpin)
//   TCP       only while UDP is silent: a connect to the server's port tells "UDP blocked" from "down"
import type { NatEndpoint, NatFamily, NatProgress, NatResult, NatServerReach, NatTest, NatTestName } from '../../shared/nat'
import { sameIp } from '../stun/address'
import { buildBindingRequest } from '../stun/codec'
import { RtoEstimator } from '../stun/rto'
import { StunSocket, type Transaction, type TransactionOutcome } from '../stun/transaction'
import { classifyNat, otherAddressProblem } from './classify'
import { localAddresses, routeSource } from './local'
import { NatInputError, resolveServer, serverSpec, type ServerInput } from './resolve'
import { tcpProbe } from './tcpProbe'

export { NatInputError } from './resolve'

export interface NatTiming {
  /** Longest wait for any UDP answer from the server (the `timeoutMs` option). */
  firstAnswerMs: number
  /**
   * After the fresh socket's plain request is answered, how long its CHANGE-REQUEST tests (and the
   * hairpin probe) may stay silent before we call them filtered: at least this many ms...
   */
  quietFloorMs: number
  /** ...and at least this many smoothed round trips. */
  quietRtts: number
  /** Tests that should be answered (mapping II and III): how long before "no answer". */
  expectedAnswerMs: number
  /** With TCP connected and UDP silent: the earliest we call UDP blocked (ms from start). */
  udpBlockedFloorMs: number
  /** Start the TCP connect when UDP has been silent this long. */
  tcpProbeAfterMs: number
}

/**
 * The quiet window is the one number that trades speed against false "filtered" verdicts. 250 ms
 * holds on a loaded two-core machine: a reply delayed by scheduling comes within tens of ms of the
 * control reply that the same server sent at the same moment. Timeouts are also only concluded
 * after queued datagrams are read (see StunSocket.request).
 */
export const DEFAULT_NAT_TIMING: NatTiming = {
  firstAnswerMs: 2000,
  quietFloorMs: 250,
  quietRtts: 4,
  expectedAnswerMs: 600,
  udpBlockedFloorMs: 300,
  tcpProbeAfterMs: 100
}

export interface DiscoverNatOptions {
  /** One server (stun:HOST:PORT, HOST:PORT or an endpoint), or a list: all are asked, the first RFC 5780 answer wins. */
  stun: ServerInput | ServerInput[]
  /** A second plain STUN server: without RFC 5780 on the first, mappings toward both are compared. */
  stun2?: ServerInput
  family?: NatFamily
  /** Longest wait for a first answer, ms (default 2000). */
  timeoutMs?: number
  /** Test hairpinning (default true). */
  hairpin?: boolean
  onProgress?: (progress: NatProgress) => void
  timing?: Partial<NatTiming>
}

const TEST_ORDER: NatTestName[] = ['mapping-1', 'mapping-2', 'mapping-3', 'mapping-server2', 'filtering-1', 'filtering-2', 'filtering-3', 'hairpin', 'tcp-connect']

interface Started {
  tx: Transaction
  outcome: Promise<TransactionOutcome>
  test: Promise<NatTest>
}

/** One discovery run: its sockets, its tests, its clock. */
class Run {
  readonly t0 = performance.now()
  readonly tests = new Map<NatTestName, Promise<NatTest>>()
  readonly sockets: StunSocket[] = []
  readonly rto = new RtoEstimator()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(
    readonly family: NatFamily,
    readonly timing: NatTiming,
    private readonly progress: (p: NatProgress) => void
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

  /** The quiet window: how long a test may stay silent after a comparable request was answered. */
  quietMs(): number {
    return Math.max(this.timing.quietFloorMs, this.timing.quietRtts * (this.rto.srttMs ?? 0))
  }

  start(
    name: NatTestName,
    socket: StunSocket,
    target: NatEndpoint,
    options: { giveUpMs: number; change?: { ip: boolean; port: boolean }; acceptFrom?: (from: NatEndpoint) => boolean; rto?: RtoEstimator; record?: boolean }
  ): Started {
    this.progress({ kind: 'test-start', name, target })
    const tx = socket.request(target, {
      rto: options.rto ?? this.rto,
      giveUpMs: options.giveUpMs,
      changeIp: options.change?.ip,
      changePort: options.change?.port,
      acceptFrom: options.acceptFrom
    })
    const test = tx.done.then((outcome) => {
      const t = toTest(name, target, outcome, options.change)
      this.progress({ kind: 'test-done', test: t })
      return t
    })
    if (options.record !== false) this.tests.set(name, test)
    return { tx, outcome: tx.done, test }
  }

  record(name: NatTestName, test: Promise<NatTest>): void {
    this.tests.set(name, test)
  }

  async finish(): Promise<NatTest[]> {
    const all = await Promise.all(TEST_ORDER.filter((n) => this.tests.has(n)).map((n) => this.tests.get(n)!))
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    return all
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    await Promise.all(this.sockets.map((s) => s.close()))
  }
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

/**
 * Discovers the NAT between this host and the internet, for one address family.
 * Throws NatInputError for unusable input (a malformed server, an IP literal of the wrong family);
 * everything the network does (silence, errors, hostile packets) ends up in the result instead.
 */
export async function discoverNat(options: DiscoverNatOptions): Promise<NatResult> {
  const family: NatFamily = options.family ?? 4
  if (family !== 4 && family !== 6) throw new NatInputError(`family must be 4 or 6, got ${String(family)}`)
  const timing: NatTiming = { ...DEFAULT_NAT_TIMING, ...options.timing }
  if (options.timeoutMs !== undefined) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new NatInputError(`bad timeout ${options.timeoutMs}`)
    timing.firstAnswerMs = options.timeoutMs
  }
  const candidates = Array.isArray(options.stun) ? options.stun : [options.stun]
  if (candidates.length === 0) throw new NatInputError('no STUN server given')
  // Validate everything before the first packet: bad input is the caller's error, not a network result.
  candidates.forEach(serverSpec)
  if (options.stun2 !== undefined) serverSpec(options.stun2)

  const run = new Run(family, timing, options.onProgress ?? (() => {}))
  try {
    return await discover(run, candidates, options)
  } finally {
    await run.close()
  }
}

async function discover(run: Run, candidates: ServerInput[], options: DiscoverNatOptions): Promise<NatResult> {
  const family = run.family
  const [resolved, resolved2] = await Promise.all([
    Promise.all(candidates.map((c) => resolveServer(c, family))),
    options.stun2 === undefined ? Promise.resolve(undefined) : resolveServer(options.stun2, family)
  ])
  const usable = resolved.flatMap((r) => (r.ok ? [r] : []))
  if (usable.length === 0) {
    const why = resolved.map((r) => (r.ok ? '' : r.reason)).join('; ')
    return emptyResult(run, family, why, null)
  }
  const server2 = resolved2?.ok ? resolved2.endpoint : null

  let primary = usable[0]!
  let pre: { socket: StunSocket; t1: Promise<NatTest>; outcome: Promise<TransactionOutcome> } | undefined
  if (usable.length > 1) {
    const picked = await pickServer(run, usable)
    if (!picked) {
      return emptyResult(run, family, `none of the ${usable.length} STUN servers answered over UDP (${usable.map((u) => u.host).join(', ')})`, null)
    }
    primary = picked.server
    pre = picked
  }
  run.progressServer(primary.endpoint, primary.host)
  return runAgainst(run, primary.endpoint, server2, pre, options.hairpin ?? true)
}

declare module './discover' {
  interface Run {
    progressServer(server: NatEndpoint, host: string): void
  }
}
