import type { RTCDataChannel } from 'werift'
import type { SignalChannel } from '../signaling/channel'
import type { SignalMessage, HelloData } from '../../shared/signaling'
import type { Role, SessionEvent, SessionPhase, SessionResult, Verdict } from '../../shared/session'
import type { ConnectionAttempt, PathMeasurement, PathMeasurements, UdpPortTest } from '../../shared/report'
import type { NatResult } from '../../shared/nat'
import { APP_VERSION } from '../version'
import type { IceOptions } from './iceConfig'
import { Attempt, type Exclusions, type Policy } from './attempt'
import { ProbeChannel } from './probeChannel'
import { clockOffset, rttStats, type PingSample } from '../measure/rtt'
import { decideVerdict } from '../../shared/diagnosis/verdict'
import { comparePrediction, predict } from '../../shared/diagnosis/prediction'
import { readPeerNat } from './peerNat'
import { attachThroughput, measureThroughput } from '../measure/throughput'
import { enlargeUdpBuffers } from '../peer-patches/udpBuffers'
import { MAX_SCTP_MTU, setSctpMtu } from '../peer-patches/sctpMtu'
import { installSctpThroughputPatch } from '../peer-patches/sctpThroughput'
import { localAddresses } from '../net/interfaces'
import { randomBytes } from 'node:crypto'
import { combinePort, runPortWindow, type PortHalf } from '../porttest/udpPortTest'
import { MAX_PORT_TESTS, portTargets, readPortHalf, readPortPlan, validPort, type PortPlan } from '../porttest/plan'

export interface SessionOptions {
  role: Role
  channel: SignalChannel
  ice: IceOptions
  /** A name for this side, shown to the other one. */
  name?: string
  /** Give up connecting after this long. */
  timeoutMs?: number
  /** Pings per path once a data channel opens. */
  probes?: number
  /** This side's half of the report, sent to the other side once measuring ends. */
  describeSide?: (result: SessionResult) => unknown | Promise<unknown>
  /** Discovers this side's NAT behaviour; its result is exchanged and feeds the prediction. */
  discoverNat?: () => Promise<NatResult | null>
  /** Local interfaces or addresses to leave out of the candidates (e.g. a VPN tunnel). */
  exclude?: Exclusions
  /** Run a relay-only second attempt beside the first when a TURN server is known (default true). */
  relayAttempt?: boolean
  /** UDP ports to test outside WebRTC once the session ends (the host names them; the joiner follows). */
  portTests?: number[]
  /** Bytes the host sends each way per path to measure throughput (0: not measured). Default 4 MiB. */
  throughputBytes?: number
}

// werift's SCTP acknowledges every packet and runs a send loop per message: patched once, for every
// session (src/core/peer-patches/sctpThroughput.ts, docs/throughput.md). The wire format is unchanged.
installSctpThroughputPatch()

/** Both ends on this machine: packets never leave it, so large SCTP packets are safe (docs/throughput.md). */
function sameMachine(local: string, remote: string): boolean {
  const own = new Set(localAddresses().map((a) => a.address))
  return own.has(local) && own.has(remote)
}

/** Features announced in hello: extensions are used only with peers that announce them. */
export const FEATURE_NAT = 'nat'
export const FEATURE_RELAY_ATTEMPT = 'relay-attempt'
export const FEATURE_TURN = 'turn'
export const FEATURE_PORT_TEST = 'port-test'
export const FEATURE_THROUGHPUT = 'throughput'

type Listener = (event: SessionEvent) => void
type NewEvent = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'atMs'> : never) : never

/** How long the host lets its NAT discovery run before offering anyway. */
const NAT_WAIT_MS = 1_500
/** The joiner's wait for its own NAT result before its first attempt (it decides TURN over TCP). */
const JOIN_NAT_WAIT_MS = 1_000
/** With the relay path up first, how long the first attempt may still bring a direct one. */
const DIRECT_GRACE_MS = 1_500
/** Once a path is chosen, how long the relay attempt may take to connect for its measurements. */
const RELAY_MEASURE_WAIT_MS = 4_000
const PING_INTERVAL_MS = 20
const PING_WAIT_MS = 1_000
const PEER_DONE_GRACE_MS = 3_000
const BYE_GRACE_MS = 1_000
const PORT_TEST_LEAD_MS = 1_000
const PORT_PLAN_WAIT_MS = 5_000
const PORT_RESULT_WAIT_MS = 3_000
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const ATTEMPT_KIND: Record<number, { offer: string; answer: string; candidate: string }> = {
  1: { offer: 'offer', answer: 'answer', candidate: 'candidate' },
  2: { offer: 'relay-offer', answer: 'relay-answer', candidate: 'relay-candidate' }
}

/**
 * One side of a connection check: signals over a SignalChannel, runs one or two ICE attempts,
 * uses the path that connected (direct first), measures it and the relay path, exchanges NAT
 * results and report halves with the other side, and records everything as events.
 */
export class PeerSession {
  readonly events: SessionEvent[] = []
  private readonly listeners = new Set<Listener>()
  private readonly t0 = performance.now()
  private readonly startedAt = new Date().toISOString()
  private readonly attempts = new Map<number, Attempt>()
  private readonly probes = new Map<number, ProbeChannel>()
  private readonly paths = new Map<number, PathMeasurement>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private chosen: Attempt | undefined
  private peer: SessionResult['peer']
  private nat: NatResult | null | undefined
  private peerNat: NatResult | null | undefined
  private natSent = false
  private prediction: SessionResult['prediction']
  private offsets: PingSample[] = []
  private measuring = false
  private throughputRun: Promise<unknown> = Promise.resolve()
  private ownDone = false
  private finish!: (failure?: string) => void
  private readonly finished: Promise<string | undefined>
  private closed = false
  private natDone: Promise<void> = Promise.resolve()
  private peerPortTests: number[] = []
  private readonly portPlan = deferred<PortPlan | undefined>()
  private readonly portResults = new Map<number, PortHalf>()
  private portResultArrived: () => void = () => {}

  /** The other side's half of the report, when it arrived over any data channel. */
  get peerSide(): unknown {
    const chosen = this.chosen && this.probes.get(this.chosen.id)?.peerSide
    return chosen ?? [...this.probes.values()].find((p) => p.peerSide !== undefined)?.peerSide
  }

  constructor(private readonly options: SessionOptions) {
    this.finished = new Promise((resolve) => {
      let done = false
      this.finish = (failure) => {
        if (done) return
        done = true
        resolve(failure)
      }
    })
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private now(): number {
    return Math.round(performance.now() - this.t0)
  }

  private emit(event: NewEvent): void {
    const full = { ...event, atMs: this.now() } as SessionEvent
    this.events.push(full)
    for (const listener of this.listeners) listener(full)
  }

  private phase(phase: SessionPhase, detail?: string): void {
    this.emit(detail ? { kind: 'phase', phase, detail } : { kind: 'phase', phase })
  }

  private get hasTurn(): boolean {
    return this.options.ice.turn.length > 0
  }

  private features(): string[] {
    const f = [FEATURE_RELAY_ATTEMPT, FEATURE_PORT_TEST, FEATURE_THROUGHPUT]
    if (this.options.discoverNat) f.push(FEATURE_NAT)
    if (this.hasTurn) f.push(FEATURE_TURN)
    return f
  }

  private peerHas(feature: string): boolean {
    return this.peer?.features.includes(feature) ?? false
  }

  async run(): Promise<SessionResult> {
    const { role, channel } = this.options
    this.phase('signaling')
    this.startNat()
    // Messages are handled one at a time, in order: an answer is applied before the candidates after it.
    let queue = Promise.resolve()
    channel.start(
      (m) => {
        queue = queue.then(() => this.onSignal(m)).catch((err: Error) => this.fail(`signaling message ${m.type} failed: ${err.message}`))
      },
      (err) => this.fail(`signaling lost: ${err.message}`)
    )
    if (role === 'join') await this.send('hello', this.hello())
    const timeoutMs = this.options.timeoutMs ?? 30_000
    this.later(() => this.fail(this.timeoutReason(timeoutMs)), timeoutMs)
    const failure = await this.finished
    return this.result(failure)
  }

  private hello(): HelloData & { portTests?: number[] } {
    const hello = { name: this.options.name ?? this.options.role, version: APP_VERSION, features: this.features() }
    // The host names the ports, so the joiner knows to stay for the test after its session ends.
    return this.options.role === 'host' && this.options.portTests?.length ? { ...hello, portTests: this.options.portTests } : hello
  }

  private startNat(): void {
    const discover = this.options.discoverNat
    if (!discover) return
    this.natDone = discover()
      .then(
        (nat) => {
          this.nat = nat
          if (nat) this.emit({ kind: 'nat', side: this.options.role, mapping: nat.mapping, filtering: nat.filtering, classic: nat.classic, reason: nat.reason })
          else this.emit({ kind: 'warning', message: 'NAT discovery got no answer from the STUN server' })
        },
        (err: Error) => {
          this.nat = null
          this.emit({ kind: 'warning', message: `NAT discovery failed: ${err.message}` })
        }
      )
      .then(() => {
        void this.sendNat()
        this.maybePredict()
      })
  }

  private async sendNat(): Promise<void> {
    if (this.natSent || this.nat === undefined || !this.peerHas(FEATURE_NAT)) return
    this.natSent = true
    await this.send('nat', { nat: this.nat }).catch(() => {})
  }

  private maybePredict(): void {
    if (this.prediction || this.nat === undefined) return
    if (this.peer && this.peerHas(FEATURE_NAT) && this.peerNat === undefined) return
    if (!this.peer) return
    const own = this.nat ?? null
    const other = this.peerNat ?? null
    const [host, join] = this.options.role === 'host' ? [own, other] : [other, own]
    const turn = this.hasTurn || this.peerHas(FEATURE_TURN)
    // werift falls back to TCP on the TURN port by itself: a side with a TURN server can reach it over TCP.
    const ownTurn = this.hasTurn
    const peerTurn = this.peerHas(FEATURE_TURN)
    const turnTcp = this.options.role === 'host' ? { host: ownTurn, join: peerTurn } : { host: peerTurn, join: ownTurn }
    this.prediction = predict({ host, join, turn, turnTcp })
    this.emit({ kind: 'prediction', ...this.prediction })
  }

  private timeoutReason(ms: number): string {
    const s = Math.round(ms / 1000)
    const first = this.attempts.get(1)
    if (!this.peer && !first) return `no answer from the other side within ${s} s (is it running and joined to the same room?)`
    if (!first?.pc.remoteDescription) return `the other side never completed the offer/answer exchange within ${s} s`
    if (![...this.attempts.values()].some((a) => a.connectedAtMs !== null)) return `ICE checks found no working candidate pair within ${s} s (${this.attemptSummary()})`
    return `a data channel opened but the probes got no answer within ${s} s`
  }

  private attemptSummary(): string {
    return [...this.attempts.values()].map((a) => `attempt ${a.id} (${a.policy === 'all' ? 'all candidates' : 'relay only'}): ${a.failure ?? (a.connectedAtMs !== null ? 'connected' : 'still checking')}`).join('; ')
  }

  private fail(reason: string): void {
    this.emit({ kind: 'error', message: reason })
    // Already measuring: a late problem is worth noting, not a failure of the session.
    this.finish(this.chosen ? undefined : reason)
  }

  private async send(type: string, data: unknown): Promise<void> {
    this.emit({ kind: 'signal', direction: 'out', type })
    await this.options.channel.send(type, data)
  }

  private async onSignal(message: SignalMessage): Promise<void> {
    this.emit({ kind: 'signal', direction: 'in', type: message.type })
    const data = message.data as Record<string, unknown> | null
    if (message.type === 'hello') return this.onHello(data)
    if (message.type === 'nat') {
      this.peerNat = readPeerNat(data?.nat)
      if (this.peerNat) {
        const other = this.options.role === 'host' ? 'join' : 'host'
        this.emit({ kind: 'nat', side: other, mapping: this.peerNat.mapping, filtering: this.peerNat.filtering, classic: this.peerNat.classic, reason: this.peerNat.reason })
      }
      this.maybePredict()
      return
    }
    if (message.type === 'port-test') {
      this.portPlan.resolve(readPortPlan(data))
      return
    }
    if (message.type === 'port-result') {
      const half = readPortHalf(data)
      if (half) this.portResults.set(half.port, half)
      this.portResultArrived()
      return
    }
    if (message.type === 'bye') {
      if (!this.chosen) this.fail(`the other side left${data?.reason ? `: ${String(data.reason)}` : ''}`)
      // Signaling can overtake the data channel: give its last messages (the report half) a moment.
      else this.later(() => this.finish(), BYE_GRACE_MS)
      return
    }
    for (const [id, kinds] of Object.entries(ATTEMPT_KIND)) {
      const attemptId = Number(id)
      if (message.type === kinds.offer && this.options.role === 'join') {
        if (!this.attempts.size && this.options.discoverNat) await Promise.race([this.natDone, new Promise((r) => this.later(() => r(undefined), JOIN_NAT_WAIT_MS))])
        const attempt = this.attempts.get(attemptId) ?? this.startAttempt(attemptId, this.joinPolicy(attemptId))
        if (!attempt.pc.remoteDescription) await attempt.acceptOffer(String(data?.sdp ?? ''))
        return
      }
      if (message.type === kinds.answer && this.options.role === 'host') {
        await this.attempts.get(attemptId)?.acceptAnswer(String(data?.sdp ?? ''))
        return
      }
      if (message.type === kinds.candidate) {
        // A candidate may come before the offer that creates the attempt: open it early so nothing is lost.
        const attempt = this.attempts.get(attemptId) ?? (this.options.role === 'join' ? this.startAttempt(attemptId, this.joinPolicy(attemptId)) : undefined)
        await attempt?.addRemoteCandidate(data)
        return
      }
    }
    // Types we do not know are ignored, as the protocol says.
  }

  private async onHello(data: Record<string, unknown> | null): Promise<void> {
    const features = Array.isArray(data?.features) ? data.features.filter((f): f is string => typeof f === 'string') : []
    if (this.options.role === 'join' && Array.isArray(data?.portTests)) this.peerPortTests = data.portTests.filter(validPort).slice(0, MAX_PORT_TESTS)
    this.peer = {
      name: typeof data?.name === 'string' ? data.name.slice(0, 128) : 'unknown',
      version: typeof data?.version === 'string' ? data.version.slice(0, 64) : 'unknown',
      features
    }
    this.emit({ kind: 'peer-hello', ...this.peer })
    if (this.peer.version !== APP_VERSION && this.peer.version !== 'unknown') {
      this.emit({ kind: 'warning', message: `version mismatch: this side runs peerlens ${APP_VERSION}, the other ${this.peer.version}` })
    }
    void this.sendNat()
    this.maybePredict()
    if (this.options.role !== 'host' || this.attempts.size) return
    // Answer with our own hello so the joiner learns our version and features, then offer.
    await this.send('hello', this.hello())
    if (this.options.discoverNat) await Promise.race([this.natDone, new Promise((r) => this.later(() => r(undefined), NAT_WAIT_MS))])
    // The host is the controlling side: only the pairs it checks can be nominated, so filtering
    // relay pairs out of the first attempt here is enough to keep it direct.
    const second = this.expectedAttempts() === 2
    await this.startAttempt(1, 'all', second).offer()
    if (second) await this.startAttempt(2, this.hasTurn ? 'relay' : 'all').offer()
  }

  /** The joiner's side of an attempt: the second one is relay-only where this side has a TURN server. */
  private joinPolicy(id: number): Policy {
    return id === 2 && this.hasTurn ? 'relay' : 'all'
  }

  /**
   * The ICE settings for an attempt. With UDP blocked (our own NAT discovery says so), TURN goes
   * straight to TCP: werift would otherwise wait out its UDP allocation for seconds before it falls back.
   */
  private iceForAttempt(): IceOptions {
    const ice = this.options.ice
    if (this.nat?.classic !== 'udp-blocked') return ice
    const turn = ice.turn.map((u) => (u.startsWith('turn:') && !u.includes('?transport=') ? `${u}?transport=tcp` : u))
    if (turn.join() !== ice.turn.join()) this.emit({ kind: 'warning', message: 'UDP is blocked here: asking the TURN server over TCP' })
    // No STUN answer will come: do not let werift wait for one before it starts checking.
    return { ...ice, turn, stunGatherTimeoutS: 0.3 }
  }

  private startAttempt(id: number, policy: Policy, directOnly = false): Attempt {
    if (this.attempts.size === 0) this.phase('gathering')
    const kinds = ATTEMPT_KIND[id]!
    const attempt = new Attempt(
      id,
      policy,
      this.iceForAttempt(),
      {
        now: () => this.now(),
        emit: (e) => this.emit(e as NewEvent),
        signal: (kind, data) => this.send(kinds[kind], data),
        onChannelOpen: (a, dc) => this.onChannelOpen(a, dc),
        onFailed: (a, reason) => this.onAttemptFailed(a, reason)
      },
      this.options.exclude,
      directOnly
    )
    this.attempts.set(id, attempt)
    this.emit({ kind: 'attempt', attempt: id, policy, outcome: 'started' })
    attempt.pc.iceConnectionStateChange.subscribe((state) => {
      if (state === 'checking' && id === 1) this.phase('checking')
    })
    return attempt
  }

  private onChannelOpen(attempt: Attempt, dc: RTCDataChannel): void {
    this.emit({ kind: 'attempt', attempt: attempt.id, policy: attempt.policy, outcome: 'connected' })
    if (attempt.id === 1) this.emit({ kind: 'channel-open' })
    if (attempt.selected) this.emit({ kind: 'selected-pair', pair: attempt.selected })
    const probe = new ProbeChannel(dc, {
      onRtt: (rttMs) => this.emit({ kind: 'probe', rttMs }),
      onChosen: () => {
        if (this.options.role === 'join') this.choose(attempt)
      },
      onPeerDone: () => this.maybeFinish()
    })
    this.probes.set(attempt.id, probe)
    // Both sides answer throughput tests on every channel; larger socket buffers keep a burst from overflowing them.
    attachThroughput(dc)
    enlargeUdpBuffers(attempt.pc)
    const pair = attempt.selected
    if (pair && sameMachine(pair.local.address, pair.remote.address)) setSctpMtu(attempt.pc, MAX_SCTP_MTU)
    if (this.chosen) {
      // Connected after the choice (the relay attempt): measure it as the relay path.
      void this.measure(attempt)
      return
    }
    if (this.options.role === 'join') {
      // The host decides; a host that does not run attempts (no relay-attempt feature) never says so.
      if (!this.peerHas(FEATURE_RELAY_ATTEMPT)) this.choose(attempt)
      return
    }
    const first = this.attempts.get(1)
    if (attempt.id === 1 || !first || first.failure) this.choose(attempt)
    else {
      this.phase('connected', `relay path up; giving the direct attempt ${DIRECT_GRACE_MS} ms more`)
      this.later(() => {
        if (!this.chosen) this.choose(attempt)
      }, DIRECT_GRACE_MS)
    }
  }

  private onAttemptFailed(attempt: Attempt, reason: string): void {
    this.emit({ kind: 'attempt', attempt: attempt.id, policy: attempt.policy, outcome: 'failed', reason })
    if (this.chosen) return
    const open = [...this.attempts.values()].find((a) => a.connectedAtMs !== null)
    if (open && this.options.role === 'host') {
      this.choose(open)
      return
    }
    const all = [...this.attempts.values()]
    if (all.every((a) => a.failure) && all.length >= this.expectedAttempts()) {
      this.fail(`no path connected: ${this.attemptSummary()}`)
    }
  }

  private expectedAttempts(): number {
    const turnSomewhere = this.hasTurn || this.peerHas(FEATURE_TURN)
    return (this.options.relayAttempt ?? true) && turnSomewhere && this.peerHas(FEATURE_RELAY_ATTEMPT) ? 2 : 1
  }

  /** The path the session uses from now on. The host tells the joiner over that path's channel. */
  private choose(attempt: Attempt): void {
    if (this.chosen) return
    this.chosen = attempt
    attempt.readSelected()
    if (attempt.selected) this.emit({ kind: 'selected-pair', pair: attempt.selected })
    this.phase('connected', `using attempt ${attempt.id} (${attempt.policy === 'all' ? 'all candidates' : 'relay only'})`)
    if (this.options.role === 'host') this.probes.get(attempt.id)?.send({ t: 'chosen' })
    void this.measureAll()
  }

  private async measureAll(): Promise<void> {
    if (this.measuring) return
    this.measuring = true
    this.phase('measuring')
    const chosen = this.chosen!
    const jobs = [this.measure(chosen)]
    const relay = this.attempts.get(2)
    if (relay && relay !== chosen && !relay.failure) jobs.push(this.waitAndMeasure(relay))
    await Promise.all(jobs)
    await this.endMeasuring()
  }

  private async waitAndMeasure(attempt: Attempt): Promise<void> {
    const deadline = Date.now() + RELAY_MEASURE_WAIT_MS
    while (!this.probes.has(attempt.id) && !attempt.failure && Date.now() < deadline && !this.closed) await new Promise((r) => setTimeout(r, 50))
    if (this.probes.has(attempt.id)) await this.measure(attempt)
  }

  private async measure(attempt: Attempt): Promise<void> {
    const probe = this.probes.get(attempt.id)
    if (!probe || this.paths.has(attempt.id)) return
    const samples = await probe.ping(this.options.probes ?? 10, PING_INTERVAL_MS, PING_WAIT_MS)
    if (attempt === this.chosen) this.offsets = samples
    const stats = rttStats(samples)
    attempt.readSelected()
    const relayed = attempt.selected ? attempt.selected.local.type === 'relay' || attempt.selected.remote.type === 'relay' : attempt.policy === 'relay'
    const throughput = this.options.role === 'host' ? await this.throughput(attempt, probe) : undefined
    const m: PathMeasurement = {
      path: relayed ? 'relay' : 'direct',
      pair: attempt.selected,
      probesSent: stats.sent,
      probesReceived: stats.received,
      lossPercent: stats.lossPercent,
      rtt: stats.rtt,
      jitterMs: stats.jitterMs,
      rttSamplesMs: samples.map((s) => s.rttMs),
      ...(throughput !== undefined ? { throughput } : {})
    }
    this.paths.set(attempt.id, m)
    this.reportGaps(samples, m.path)
    this.emit({ kind: 'path-metrics', path: m.path, rttP50Ms: m.rtt?.p50Ms ?? null, lossPercent: m.lossPercent, jitterMs: m.jitterMs })
  }

  /** Runs of unanswered pings become one warning each: when the other side stopped answering, and for how long. */
  private reportGaps(samples: PingSample[], path: string): void {
    const toSessionMs = (wall: number): number => this.now() - (Date.now() - wall)
    let start: PingSample | undefined
    let lost = 0
    const flush = (end: PingSample | undefined): void => {
      if (!start) return
      const from = toSessionMs(start.sentWallMs)
      const until = end ? `; answers came back at ${toSessionMs(end.sentWallMs)} ms` : '; no answer came back before the probes ended'
      this.emit({ kind: 'warning', message: `${path} path: the other side stopped answering at ${from} ms (${lost} probe${lost === 1 ? '' : 's'} lost)${until}` })
      start = undefined
      lost = 0
    }
    for (const sample of samples) {
      if (sample.rttMs === null) {
        start ??= sample
        lost++
      } else flush(sample)
    }
    flush(undefined)
  }

  /**
   * Bulk transfer each way over one path (the host drives, the joiner answers). Paths: one at a time,
   * so they do not share the CPU. On loopback the SCTP packets may be large; elsewhere they must fit a UDP datagram.
   */
  private async throughput(attempt: Attempt, probe: ProbeChannel): Promise<PathMeasurement['throughput']> {
    const bytes = this.options.throughputBytes ?? 4 * 1024 * 1024
    if (bytes <= 0 || !probe.open || !this.peerHas(FEATURE_THROUGHPUT)) return undefined
    const job = this.throughputRun.then(async () => {
      const measure = (direction: 'send' | 'receive') =>
        measureThroughput(probe.dc, { direction, bytes, seconds: 3 }).then(
          (r) => r[direction]?.MBps ?? null,
          () => null
        )
      const up = await measure('send')
      const down = await measure('receive')
      const bps = (mb: number | null): number | null => (mb === null ? null : Math.round(mb * 1_000_000))
      this.emit({ kind: 'throughput', attempt: attempt.id, hostToJoinMBps: up, joinToHostMBps: down })
      return { hostToJoinBps: bps(up), joinToHostBps: bps(down), bytes }
    })
    this.throughputRun = job.catch(() => undefined)
    return job
  }

  private async endMeasuring(): Promise<void> {
    if (this.ownDone) return
    const offset = clockOffset(this.offsets)
    if (offset) this.emit({ kind: 'clock-offset', offsetMs: offset.offsetMs, errorMs: offset.errorMs })
    const probe = this.chosen && this.probes.get(this.chosen.id)
    if (probe?.open && this.options.describeSide) {
      try {
        probe.sendSide(await this.options.describeSide(this.result(undefined, false)))
      } catch (err) {
        this.emit({ kind: 'error', message: `could not send this side of the report: ${(err as Error).message}` })
      }
    }
    this.ownDone = true
    probe?.send({ t: 'done' })
    this.maybeFinish()
    // The other side's "done" may never come (it quit, or does not speak the probe).
    this.later(() => this.finish(), PEER_DONE_GRACE_MS)
  }

  private maybeFinish(): void {
    const probe = this.chosen && this.probes.get(this.chosen.id)
    if (this.ownDone && probe?.peerDone) this.finish()
  }

  /** A timer that is cleared when the session ends, so nothing keeps the process alive. */
  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  private attemptRecords(): ConnectionAttempt[] {
    return [...this.attempts.values()].map((a) => {
      const path = this.paths.get(a.id)
      const verdict: Verdict | null = a.connectedAtMs === null ? (a.failure ? 'failed' : null) : a.selected && (a.selected.local.type === 'relay' || a.selected.remote.type === 'relay') ? 'relayed' : 'direct'
      return {
        id: String(a.id),
        policy: a.policy,
        startedAtMs: a.startedAtMs,
        outcome: a.connectedAtMs !== null ? 'connected' : a.failure ? 'failed' : this.chosen ? 'abandoned' : 'running',
        verdict,
        selectedPair: a.connectedAtMs !== null ? a.selected : null,
        connectedAfterMs: a.connectedAtMs,
        rttMs: path?.rtt?.p50Ms ?? null,
        used: a === this.chosen,
        reason: a.failure ?? (a.connectedAtMs !== null ? `data channel open after ${a.connectedAtMs} ms` : this.chosen ? 'not needed: another attempt connected first' : 'still checking when the session ended')
      }
    })
  }

  private pathRecords(): PathMeasurements {
    const out: PathMeasurements = {}
    for (const m of this.paths.values()) if (!out[m.path]) out[m.path] = m
    const d = out.direct?.rtt?.p50Ms
    const r = out.relay?.rtt?.p50Ms
    if (d !== undefined && r !== undefined) {
      const dt = out.direct?.throughput?.hostToJoinBps
      const rt = out.relay?.throughput?.hostToJoinBps
      out.overhead = { extraRttMs: Math.round((r - d) * 100) / 100, throughputRatio: dt && rt ? Math.round((rt / dt) * 1000) / 1000 : null }
    }
    return out
  }

  /** The session as seen so far; `final` also stops the timers and records the last phase. */
  private result(failure: string | undefined, final = true): SessionResult {
    if (final) {
      for (const timer of this.timers) clearTimeout(timer)
      this.timers.clear()
      for (const a of this.attempts.values()) a.stopSampling()
    }
    const chosen = this.chosen
    chosen?.readSelected()
    const channelWorks = chosen !== undefined
    const decided = decideVerdict({ selectedPair: chosen?.selected ?? null, channelWorks, failure })
    const verdict = decided.verdict
    let reason = decided.reason
    if (this.prediction) {
      const c = comparePrediction(this.prediction.verdict, verdict)
      if (c.agrees === false && c.note) reason = `${reason}. ${c.note[0]!.toUpperCase()}${c.note.slice(1)}`
    }
    if (final) this.phase(verdict === 'failed' ? 'failed' : 'done', reason)
    const attempts = [...this.attempts.values()]
    const chosenPath = chosen ? this.paths.get(chosen.id) : undefined
    const offset = clockOffset(this.offsets)
    const result: SessionResult = {
      role: this.options.role,
      verdict,
      reason,
      selectedPair: channelWorks ? (chosen.selected ?? null) : null,
      rttMs: chosenPath?.rtt?.p50Ms ?? null,
      startedAt: this.startedAt,
      connectedAfterMs: chosen?.connectedAtMs ?? null,
      localCandidates: attempts.flatMap((a) => a.localCandidates),
      remoteCandidates: attempts.flatMap((a) => a.remoteCandidates),
      pairs: attempts.flatMap((a) => [...a.pairs.values()]),
      events: [...this.events],
      attempts: this.attemptRecords(),
      paths: this.pathRecords()
    }
    if (this.peer) result.peer = this.peer
    if (this.prediction) result.prediction = this.prediction
    if (this.nat !== undefined) result.nat = this.nat
    if (this.peerNat !== undefined) result.peerNat = this.peerNat
    if (offset) {
      result.peerClockOffsetMs = offset.offsetMs
      result.peerClockOffsetErrorMs = offset.errorMs
    }
    if (this.peer && this.peer.version !== APP_VERSION && this.peer.version !== 'unknown') {
      result.versionMismatch = `this side runs peerlens ${APP_VERSION}, the other side ${this.peer.version}`
    }
    return result
  }

  /**
   * UDP port tests outside WebRTC, after the session: the host names the ports and a start time a
   * moment ahead; both sides send to each other's addresses at that port at the same moment, then
   * swap what arrived. Runs while signaling is still up, whether or not ICE connected.
   */
  async runPortTests(): Promise<UdpPortTest[]> {
    const role = this.options.role
    const ports = role === 'host' ? (this.peerHas(FEATURE_PORT_TEST) ? (this.options.portTests ?? []) : []) : this.peerPortTests
    if (!ports.length || this.closed) return []
    let plan: PortPlan | undefined
    if (role === 'host') {
      plan = { ports, startAt: Date.now() + PORT_TEST_LEAD_MS, nonce: randomBytes(6).toString('hex') }
      await this.send('port-test', plan).catch(() => {})
    } else {
      plan = await Promise.race([this.portPlan.promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), PORT_PLAN_WAIT_MS))])
      if (!plan) return ports.map((p) => combinePort(undefined, undefined, p))
      // The host's start time is on its clock: move it onto ours.
      plan = { ...plan, startAt: plan.startAt + (this.result(undefined, false).peerClockOffsetMs ?? 0) * -1 }
    }
    this.phase('measuring', `UDP port test on ${plan.ports.join(', ')}`)
    const targets = portTargets(this.result(undefined, false).remoteCandidates)
    const own = await Promise.all(plan.ports.map((port) => runPortWindow({ port, targets: targets.map((address) => ({ address, port })), nonce: plan.nonce, role, startAt: plan.startAt })))
    for (const half of own) await this.send('port-result', half).catch(() => {})
    const deadline = Date.now() + PORT_RESULT_WAIT_MS
    while (plan.ports.some((p) => !this.portResults.has(p)) && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100)
        this.portResultArrived = () => (clearTimeout(t), r())
      })
    }
    return own.map((half) => {
      const other = this.portResults.get(half.port)
      return role === 'host' ? combinePort(half, other, half.port) : combinePort(other, half, half.port)
    })
  }

  /** Tells the other side we are leaving, then releases the attempts and the channel. */
  async close(reason?: string): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.finish(reason ?? 'closed')
    // Tell the other side why we leave when we leave without a path: it then says the same, not just "left".
    reason ??= this.chosen ? undefined : this.events.findLast((e) => e.kind === 'error')?.message
    for (const timer of this.timers) clearTimeout(timer)
    const probe = this.chosen && this.probes.get(this.chosen.id)
    await probe?.drained(1_000)
    await this.options.channel.send('bye', reason ? { reason } : {}).catch(() => {})
    await this.options.channel.close()
    await Promise.all([...this.attempts.values()].map((a) => a.close()))
  }
}
