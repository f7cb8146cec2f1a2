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
import { sameEndpoint } from '../stun/address'
import { buildBindingRequest } from '../werift/stunCodec'
import { RtoEstimator } from '../stun/rto'
import { StunSocket, type Transaction, type TransactionOutcome } from '../stun/transaction'
import { classifyNat, otherAddressProblem } from './classify'
import { lifetimeSteps, measureMappingLifetime } from './lifetime'
import { hostIps, routeSource } from './local'
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
  /** Also measure the mapping lifetime (off by default: it takes `maxS` seconds, default 120). */
  lifetime?: boolean | { maxS?: number; stepsS?: number[] }
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
  readonly tests = new Map<NatTestName, Promise<NatTest | undefined>>()
  readonly sockets: StunSocket[] = []
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

  progressServer(server: NatEndpoint, host: string): void {
    this.progress({ kind: 'server', server, host })
  }

  record(name: NatTestName, test: Promise<NatTest | undefined>): void {
    this.tests.set(name, test)
  }

  /** Waits for every test, including those recorded while waiting (filtering-3 follows filtering-1). */
  async finish(): Promise<NatTest[]> {
    let size = -1
    while (size !== this.tests.size) {
      size = this.tests.size
      await Promise.all(this.tests.values())
    }
    const all = (await Promise.all(TEST_ORDER.filter((n) => this.tests.has(n)).map((n) => this.tests.get(n)!))).filter((t): t is NatTest => t !== undefined)
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
  const lifetime = options.lifetime
  if (typeof lifetime === 'object' && lifetime.maxS !== undefined && !(Number.isFinite(lifetime.maxS) && lifetime.maxS >= 1 && lifetime.maxS <= 3600)) {
    throw new NatInputError(`lifetime maxS must be 1 to 3600 seconds, got ${lifetime.maxS}`)
  }

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
  let pre: Picked | undefined
  if (usable.length > 1) {
    const picked = await pickServer(run, usable)
    if (!picked) {
      return emptyResult(run, family, `none of the ${usable.length} STUN servers answered over UDP (${usable.map((u) => u.host).join(', ')})`, null)
    }
    primary = picked.server
    pre = picked
  }
  run.progressServer(primary.endpoint, primary.host)
  const lifetime = options.lifetime
  const stepsS = !lifetime ? undefined : typeof lifetime === 'object' && lifetime.stepsS ? lifetime.stepsS : lifetimeSteps(typeof lifetime === 'object' ? (lifetime.maxS ?? 120) : 120)
  return runAgainst(run, primary.endpoint, server2, pre, options.hairpin ?? true, stepsS)
}


type Usable = { ok: true; host: string; endpoint: NatEndpoint }
type Picked = { server: Usable; socket: StunSocket; t1: Promise<NatTest>; outcome: Promise<TransactionOutcome> }

/** Asks every candidate at once; the first answer with a usable OTHER-ADDRESS wins, else the first answer. */
async function pickServer(run: Run, usable: Usable[]): Promise<Picked | undefined> {
  const probes = await Promise.all(
    usable.map(async (server) => {
      const socket = await run.open()
      const started = run.start('mapping-1', socket, server.endpoint, { giveUpMs: run.timing.firstAnswerMs, rto: new RtoEstimator(), record: false })
      return { server, socket, ...started }
    })
  )
  return new Promise<Picked | undefined>((resolve) => {
    let left = probes.length
    let fallback: (typeof probes)[number] | undefined
    let chosen = false
    const choose = (p: (typeof probes)[number] | undefined) => {
      if (chosen) return
      chosen = true
      for (const other of probes) if (other !== p) other.tx.stop()
      resolve(p && { server: p.server, socket: p.socket, t1: p.test, outcome: p.outcome })
    }
    for (const p of probes) {
      void p.outcome.then((o) => {
        left--
        if (o.result === 'reply') {
          if (!otherAddressProblem(p.server.endpoint, o.reply.message.otherAddress)) return choose(p)
          fallback ??= p
        }
        if (left === 0) choose(fallback)
      })
    }
  })
}

async function runAgainst(run: Run, server: NatEndpoint, server2: NatEndpoint | null, pre: Picked | undefined, hairpin: boolean, lifetimeStepsS?: number[]): Promise<NatResult> {
  const timing = run.timing
  const family = run.family
  const both = { ip: true, port: true }
  const portOnly = { ip: false, port: true }

  const A = pre?.socket ?? (await run.open())
  const F = await run.open()
  const route = await routeSource(server, family)

  const t1 = pre ? { outcome: pre.outcome, test: pre.t1, tx: undefined } : run.start('mapping-1', A, server, { giveUpMs: timing.firstAnswerMs })
  if (pre) run.record('mapping-1', pre.t1)
  const f1 = run.start('filtering-1', F, server, { giveUpMs: timing.firstAnswerMs })
  const s2 = server2 ? run.start('mapping-server2', A, server2, { giveUpMs: timing.firstAnswerMs, rto: new RtoEstimator() }) : undefined
  const silent: Transaction[] = [f1.tx, ...(t1.tx ? [t1.tx] : []), ...(s2 ? [s2.tx] : [])]
  // Mapping lifetime: its own sockets, its own control; only the primary address is used.
  const lifetime = lifetimeStepsS ? measureMappingLifetime({ server, stepsS: lifetimeStepsS, quietMs: () => run.quietMs(), rto: run.rto, open: () => run.open() }) : undefined

  // Filtering: the fresh socket's plain request (the control) tells us the server's other address;
  // then both CHANGE-REQUEST tests go out at once, still only to the primary address, and get one
  // quiet window to be answered. Replies are accepted only from where they should come from (or
  // from the primary, which shows a server ignoring CHANGE-REQUEST); anything else is recorded.
  const filtering = f1.outcome.then((o) => {
    const other = o.result === 'reply' ? o.reply.message.otherAddress : undefined
    if (!other || otherAddressProblem(server, other)) return undefined
    const changedPort = { address: server.address, port: other.port }
    const f2 = run.start('filtering-2', F, server, { giveUpMs: timing.firstAnswerMs, change: both, acceptFrom: (from) => sameEndpoint(from, other) || sameEndpoint(from, server), record: false })
    const f3 = run.start('filtering-3', F, server, { giveUpMs: timing.firstAnswerMs, change: portOnly, acceptFrom: (from) => sameEndpoint(from, changedPort) || sameEndpoint(from, server), record: false })
    run.later(run.quietMs(), () => {
      f2.tx.stop()
      f3.tx.stop()
    })
    return { f2: f2.test, f3: f3.test }
  })
  run.record('filtering-2', filtering.then((f) => f?.f2))
  run.record('filtering-3', filtering.then((f) => f?.f3))
  const filteringSettled = filtering.then((f) => (f ? Promise.all([f.f2, f.f3]) : undefined))

  // Mapping tests II and III go to the alternate address only once filtering is decided: a NAT
  // whose filter state is per host rather than per mapping (iptables' `recent`, some home routers)
  // would otherwise let the alternate address in for the fresh socket too and look full cone.
  const mapping = Promise.all([t1.outcome, filteringSettled]).then(([o]) => {
    const other = o.result === 'reply' ? o.reply.message.otherAddress : undefined
    if (!other || otherAddressProblem(server, other)) return undefined
    const giveUpMs = Math.max(timing.expectedAnswerMs, 8 * (run.rto.srttMs ?? 0))
    const m2 = run.start('mapping-2', A, { address: other.address, port: server.port }, { giveUpMs, record: false })
    const m3 = run.start('mapping-3', A, other, { giveUpMs, record: false })
    return { m2: m2.test, m3: m3.test }
  })
  run.record('mapping-2', mapping.then((m) => m?.m2))
  run.record('mapping-3', mapping.then((m) => m?.m3))

  // UDP silence: after a short while, ask TCP whether the server is there at all.
  let udpHeard = false
  let reach: NatServerReach = 'udp'
  let tcp: ReturnType<typeof tcpProbe> | undefined
  const heard = (o: TransactionOutcome) => {
    if (o.result === 'reply') udpHeard = true
  }
  void t1.outcome.then(heard)
  void f1.outcome.then(heard)
  run.later(timing.tcpProbeAfterMs, () => {
    if (udpHeard) return
    const probe = tcpProbe(server, timing.firstAnswerMs)
    tcp = probe
    const test = probe.done.then((o): NatTest => {
      const t: NatTest = { name: 'tcp-connect', target: server, result: o.result === 'connected' ? 'reply' : o.result === 'refused' ? 'error' : 'timeout', mapped: null, from: null, ms: Math.round(o.ms), attempts: 1 }
      if (o.detail) t.detail = o.detail
      if (o.result === 'connected') {
        // The server is there. Give UDP as long as the TCP round trip says is fair, then stop waiting.
        const wait = Math.max(timing.udpBlockedFloorMs - (performance.now() - run.t0), Math.max(timing.quietFloorMs, timing.quietRtts * o.ms))
        run.later(wait, () => {
          if (!udpHeard) for (const tx of silent) tx.stop()
        })
      }
      run.progress({ kind: 'test-done', test: t })
      return t
    })
    run.record('tcp-connect', test)
    void probe.done.then((o) => {
      if (!udpHeard) reach = o.result === 'connected' ? 'tcp-only' : o.result === 'refused' ? 'tcp-refused' : 'unreachable'
    })
  })

  // The hairpin probe needs test I's mapped address.
  const o1 = await t1.outcome
  const ownMapping = o1.result === 'reply' ? o1.reply.message.mapped : undefined
  if (hairpin && ownMapping) run.record('hairpin', hairpinTest(run, A, ownMapping))

  const tests = await run.finish()
  tcp?.cancel()
  const lifetimeResult = lifetime ? await lifetime : undefined
  const byName = (n: NatTestName) => tests.find((t) => t.name === n)
  const test1 = byName('mapping-1')
  const mapped = test1?.result === 'reply' ? test1.mapped : null
  const serverReach: NatServerReach = udpHeard ? 'udp' : tcp ? reach : 'not-tested'
  const locals = hostIps(family)
  if (route && !locals.includes(route)) locals.push(route)
  const classification = classifyNat({ server, server2, localPort: A.port, localAddresses: locals, serverReach, tests })
  const hp = byName('hairpin')
  return {
    family,
    ...classification,
    local: route ? { address: route, port: A.port } : null,
    mapped,
    server,
    otherAddress: test1?.otherAddress ?? null,
    portPreserved: mapped ? mapped.port === A.port : null,
    hairpin: hp && hp.result !== 'error' && hp.result !== 'skipped' ? hp.result === 'reply' : null,
    serverReach,
    durationMs: Math.round(performance.now() - run.t0),
    rttMs: run.rto.srttMs === undefined ? null : Math.round(run.rto.srttMs * 100) / 100,
    tests,
    ...(lifetimeResult ? { lifetime: lifetimeResult } : {}),
    ignored: run.sockets.flatMap((s) => s.ignored)
  }
}

/**
 * Sends a Binding request from a new socket to our own mapped address and watches for it on the
 * mapping socket. Arrival means the NAT loops traffic back (hairpinning).
 */
async function hairpinTest(run: Run, A: StunSocket, mapped: NatEndpoint): Promise<NatTest> {
  run.progress({ kind: 'test-start', name: 'hairpin', target: mapped })
  const started = performance.now()
  let H: StunSocket
  try {
    H = await run.open()
  } catch (err) {
    const test: NatTest = { name: 'hairpin', target: mapped, result: 'error', mapped: null, from: null, ms: 0, attempts: 0, detail: String(err) }
    run.progress({ kind: 'test-done', test })
    return test
  }
  const request = buildBindingRequest()
  const windowMs = run.quietMs()
  let attempts = 0
  const test = await new Promise<NatTest>((resolve) => {
    let settled = false
    let retry: NodeJS.Timeout | undefined
    const done = (t: Omit<NatTest, 'name' | 'target' | 'mapped' | 'ms' | 'attempts'>) => {
      if (settled) return
      settled = true
      off()
      clearTimeout(retry)
      clearTimeout(giveUp)
      resolve({ name: 'hairpin', target: mapped, mapped: null, ms: Math.round(performance.now() - started), attempts, ...t })
    }
    const off = A.onRequest((message, from) => {
      if (message.txid === request.txid) done({ result: 'reply', from })
    })
    const send = () => {
      attempts++
      void H.sendRaw(request.bytes, mapped).then((err) => {
        if (err) done({ result: 'error', from: null, detail: err })
      })
      retry = setTimeout(send, Math.max(run.rto.rtoMs, windowMs / 3))
    }
    const giveUp = setTimeout(() => setImmediate(() => done({ result: 'timeout', from: null })), windowMs)
    send()
  })
  run.progress({ kind: 'test-done', test })
  return test
}

function emptyResult(run: Run, family: NatFamily, reason: string, server: NatEndpoint | null): NatResult {
  return {
    family,
    mapping: 'unknown',
    filtering: 'unknown',
    classic: 'unknown',
    method: 'none',
    reason,
    local: null,
    mapped: null,
    server,
    otherAddress: null,
    portPreserved: null,
    hairpin: null,
    serverReach: 'not-tested',
    durationMs: Math.round(performance.now() - run.t0),
    rttMs: null,
    tests: [],
    ignored: run.sockets.flatMap((s) => s.ignored)
  }
}
