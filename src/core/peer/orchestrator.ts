import type { RTCDataChannel } from '../werift/rtc'
import type { SignalMessage } from '../../shared/signaling'
import type { SessionEvent, SessionPhase, SessionResult } from '../../shared/session'
import type { UdpPortTest } from '../../shared/report'
import { APP_VERSION } from '../version'
import { FEATURE_PORT_TEST, FEATURE_THROUGHPUT, FEATURE_UDP_PROBES, ATTEMPT_MESSAGES, readSignal } from '../../shared/protocol/messages'
import { isVersionMismatch, type HelloData, type PeerHello } from '../../shared/protocol/hello'
import { PEER_DONE_GRACE_MS } from '../../shared/protocol/timings'
import { Attempt, type NewEvent } from './attempt'
import { attemptPolicy, expectedAttempts, iceForAttempt, onFailed, onOpen, ownFeatures, relayDecision, type Policy, type Sides } from './attemptRules'
import { SignalQueue } from './signalQueue'
import { attemptSummary, policyWords, timeoutReason } from './records'
import { sessionResult } from './result'
import { relayTransportOf } from '../werift/candidates'
import { ProbeChannel } from './probeChannel'
import { clockOffset } from '../measure/rtt'
import { answerMeasurements, measurementIdleMs } from './answerers'
import { PortTestExchange } from '../porttest/exchange'
import { DEFAULT_MEASURE_S, DEFAULT_WINDOW_S, PathMeter } from './pathMeter'
import { NatExchange } from './natExchange'
import type { SessionOptions } from './options'
import { SessionTimers } from '../../shared/timers'
import { NAT_WAIT_MS, JOIN_NAT_WAIT_MS, RELAY_MEASURE_WAIT_MS, BYE_GRACE_MS, DEFAULT_THROUGHPUT_BYTES, MEASURE_LIMIT_MS, PEER_SETTLE_MS, pollUntil } from './waits'

type Listener = (event: SessionEvent) => void

/**
 * One side of a connection check, the orchestrator: signals over a SignalChannel, runs one or two ICE
 * attempts, uses the path that connected (direct first), measures it and the relay path, exchanges NAT
 * results and report halves with the other side, and records everything as events. The rules it
 * follows are pure modules beside it: attemptRules.ts (which attempt, which path), records.ts
 * (attempt and path records, timeout reasons, gap warnings), result.ts, and src/shared/protocol.
 */
export class PeerSession {
  readonly events: SessionEvent[] = []
  private readonly listeners = new Set<Listener>()
  private readonly t0 = performance.now()
  private readonly startedAt = new Date().toISOString()
  private readonly attempts = new Map<number, Attempt>()
  private readonly probes = new Map<number, ProbeChannel>()
  private readonly timers = new SessionTimers()
  private readonly portTests = new PortTestExchange()
  private readonly meter: PathMeter = new PathMeter({
    now: () => this.now(),
    emit: (e) => this.emit(e),
    host: () => this.options.role === 'host',
    probes: () => this.options.probes ?? 10,
    throughputBytes: () => (this.sides.peer(FEATURE_THROUGHPUT) ? (this.options.throughputBytes ?? DEFAULT_THROUGHPUT_BYTES) : 0),
    throughputOff: () => (this.sides.peer(FEATURE_THROUGHPUT) ? (this.options.throughputOff ?? 'turned off (--throughput-mb 0)') : 'the other side does not answer throughput tests'),
    throughputSeconds: () => this.options.throughputSeconds ?? DEFAULT_WINDOW_S,
    peerSettled: () => this.peerSettled(),
    udpProbes: () => this.sides.peer(FEATURE_UDP_PROBES),
    measureSeconds: () => this.options.measureSeconds ?? DEFAULT_MEASURE_S,
    morePaths: (current: number): boolean => [this.attempts.get(2)].some((r) => !!r && r.id !== current && r !== this.chosen && !r.failure && !this.meter.paths.has(r.id))
  })
  private chosen: Attempt | undefined
  private peer: HelloData | undefined
  /** The ports the host's hello named (joiner). */
  private peerPortTests: number[] = []
  private readonly nat = new NatExchange({
    sides: () => ({ ...this.sides, peerKnown: !!this.peer }),
    emit: (e) => this.emit(e),
    send: (type, data) => this.send(type, data)
  })
  private measuring = false
  /** When the path was chosen (the verdict), and when its measurements (and the relay path's) ended. */
  private readonly timing: { verdictAtMs?: number; measuredAtMs?: number } = {}
  private ownDone = false
  private closed = false
  private finish!: (failure?: string) => void
  // A promise settles once: later calls of finish change nothing.
  private readonly finished = new Promise<string | undefined>((resolve) => (this.finish = resolve))

  /** The other side's half of the report, when it arrived over any data channel. */
  get peerSide(): unknown {
    const chosen = this.chosen && this.probes.get(this.chosen.id)?.peerSide
    return chosen ?? [...this.probes.values()].find((p) => p.peerSide !== undefined)?.peerSide
  }

  constructor(private readonly options: SessionOptions) {}

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

  private get sides(): Sides {
    return { role: this.options.role, hasTurn: this.options.ice.turn.length > 0, peer: (f) => this.peer?.features.includes(f) ?? false }
  }

  async run(): Promise<SessionResult> {
    const { role, channel } = this.options
    this.phase('signaling')
    if (this.options.discoverNat) this.nat.start(role, this.options.discoverNat)
    // Messages are handled in order, per attempt: an answer is applied before the candidates after it.
    const queue = new SignalQueue(
      (m) => this.onSignal(m),
      (m, err) => this.fail(`signaling message ${m.type} failed: ${err.message}`)
    )
    channel.start(
      (m) => queue.push(m),
      (err) => this.fail(`signaling lost: ${err.message}`)
    )
    if (role === 'join') await this.send('hello', this.hello())
    const timeoutMs = this.options.timeoutMs ?? 30_000
    const answered = (): boolean => !!this.attempts.get(1)?.pc.remoteDescription
    this.timers.later(() => this.fail(timeoutReason(timeoutMs, { peerKnown: !!this.peer, attempts: [...this.attempts.values()], answered: answered() })), timeoutMs)
    return this.result(await this.finished)
  }

  private hello(): HelloData & { portTests?: number[] } {
    const hello = { name: this.options.name ?? this.options.role, version: APP_VERSION, features: ownFeatures({ discoverNat: !!this.options.discoverNat, hasTurn: this.sides.hasTurn }) }
    // The host names the ports, so the joiner knows to stay for the test after its session ends.
    return this.options.role === 'host' && this.options.portTests?.length ? { ...hello, portTests: this.options.portTests } : hello
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
    const signal = readSignal(message.type, message.data)
    const join = this.options.role === 'join'
    switch (signal.kind) {
      case 'hello':
        return this.onHello(signal.hello)
      case 'nat':
        return this.nat.onPeerNat(join ? 'host' : 'join', signal.nat)
      case 'port-test':
        return this.portTests.onPlan(signal.plan)
      case 'port-result':
        return this.portTests.onResult(signal.half)
      case 'bye':
        if (!this.chosen) this.fail(`the other side left${signal.reason ? `: ${signal.reason}` : ''}`)
        // Signaling can overtake the data channel: give its last messages (the report half) a moment.
        else this.timers.later(() => this.finish(), BYE_GRACE_MS)
        return
      case 'offer': {
        if (!join) return
        const attempt = this.attempts.get(signal.attempt) ?? (await this.joinAttempt(signal.attempt))
        if (!attempt.pc.remoteDescription) await attempt.acceptOffer(signal.sdp)
        return
      }
      case 'answer':
        if (!join) await this.attempts.get(signal.attempt)?.acceptAnswer(signal.sdp)
        return
      case 'candidate': {
        // A candidate may come before the offer that creates the attempt: open it early so nothing is lost.
        const attempt = this.attempts.get(signal.attempt) ?? (join ? await this.joinAttempt(signal.attempt) : undefined)
        await attempt?.addRemoteCandidate(signal.data)
        return
      }
      // Types we do not know are ignored, as the protocol says.
    }
  }

  // The joiner's attempt (opened by its offer or an earlier candidate). One that may bring the relay path waits for our NAT
  // result (bounded): with UDP blocked, TURN goes straight to TCP. The first attempt beside a relay-only one starts at once.
  private async joinAttempt(id: number): Promise<Attempt> {
    const beside = id === 1 && expectedAttempts(this.sides, this.options.relayAttempt) === 2
    if (this.options.discoverNat && !beside) await this.waitNat(JOIN_NAT_WAIT_MS)
    return this.attempts.get(id) ?? this.startAttempt(id, attemptPolicy(id, this.sides.hasTurn))
  }

  private waitNat(ms: number): Promise<unknown> {
    return Promise.race([this.nat.done, new Promise((r) => this.timers.later(() => r(undefined), ms))])
  }

  private async onHello(hello: PeerHello): Promise<void> {
    const { portTests, ...peer } = hello
    if (this.options.role === 'join') this.peerPortTests = portTests
    this.peer = peer
    this.emit({ kind: 'peer-hello', ...peer })
    if (isVersionMismatch(APP_VERSION, peer.version)) this.emit({ kind: 'warning', message: `version mismatch: this side runs peerlens ${APP_VERSION}, the other ${peer.version}` })
    this.nat.changed()
    if (this.options.role !== 'host' || this.attempts.size) return
    // Answer with our own hello so the joiner learns our version and features, then offer.
    await this.send('hello', this.hello())
    if (this.options.discoverNat) await this.waitNat(NAT_WAIT_MS)
    // The host is the controlling side: only the pairs it checks can be nominated, so filtering
    // relay pairs out of the first attempt here is enough to keep it direct.
    const second = expectedAttempts(this.sides, this.options.relayAttempt) === 2
    const first = this.startAttempt(1, 'all', second)
    // Both at once: the relay attempt does not wait for the first one's gathering.
    await Promise.all([first.offer(), ...(second ? [this.startAttempt(2, attemptPolicy(2, this.sides.hasTurn)).offer()] : [])])
  }

  private startAttempt(id: number, policy: Policy, directOnly = false): Attempt {
    if (this.attempts.size === 0) this.phase('gathering')
    const kinds = ATTEMPT_MESSAGES[id]!
    const { ice, warning } = iceForAttempt(this.options.ice, this.nat.nat)
    if (warning) this.emit({ kind: 'warning', message: warning })
    const host = {
      now: () => this.now(),
      emit: (e: NewEvent) => this.emit(e),
      signal: (kind: 'offer' | 'answer' | 'candidate', data: unknown) => this.send(kinds[kind], data),
      onChannelOpen: (a: Attempt, dc: RTCDataChannel) => this.onChannelOpen(a, dc),
      onFailed: (a: Attempt, reason: string) => this.onAttemptFailed(a, reason),
      ...(this.options.mapCandidate && id === 1 ? { mapCandidate: this.options.mapCandidate } : {})
    }
    const attempt = new Attempt(id, policy, ice, host, this.options.exclude, directOnly)
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
    answerMeasurements(dc, attempt.pc, this.sides.peer(FEATURE_THROUGHPUT) ? attempt.selected : null)
    // Connected after the choice (the relay attempt): measure it as the relay path.
    if (this.chosen) return void this.measure(attempt)
    const next = onOpen(this.sides, attempt, this.attempts.get(1))
    if (next === 'choose') this.choose(attempt)
    if (next !== 'grace') return
    this.phase('connected', 'relay path up; the direct attempt may still connect')
    this.awaitDirect(attempt)
  }

  /** The relay path is up: use it as soon as the first attempt cannot bring a direct one (attemptRules.ts relayDecision). */
  private awaitDirect(relay: Attempt): void {
    const first = this.attempts.get(1)
    if (this.chosen || !first) return
    const view = { startedAtMs: first.startedAtMs, connectedAtMs: first.connectedAtMs, failure: first.failure, pairs: first.pairs.values() }
    const next = relayDecision(view, this.nat.prediction?.verdict, this.now())
    if (next === 'use-relay') this.choose(relay)
    else this.timers.later(() => this.awaitDirect(relay), Math.max(10, next.recheckAtMs - this.now()))
  }

  private onAttemptFailed(attempt: Attempt, reason: string): void {
    this.emit({ kind: 'attempt', attempt: attempt.id, policy: attempt.policy, outcome: 'failed', reason })
    if (this.chosen) return
    const all = [...this.attempts.values()]
    const next = onFailed(this.sides, all, expectedAttempts(this.sides, this.options.relayAttempt))
    if (next === 'fail') this.fail(`no path connected: ${attemptSummary(all)}`)
    else if (next !== 'wait') this.choose(next.choose as Attempt)
  }

  /** The path the session uses from now on. The host tells the joiner over that path's channel. */
  private choose(attempt: Attempt): void {
    if (this.chosen) return
    this.chosen = attempt
    attempt.readSelected()
    if (attempt.selected) this.emit({ kind: 'selected-pair', pair: attempt.selected })
    this.phase('connected', `using attempt ${attempt.id} (${policyWords(attempt.policy)})`)
    if (this.options.role === 'host') this.probes.get(attempt.id)?.send({ t: 'chosen' })
    // The answer, before any measurement: the user waits for it, not for the figures.
    this.timing.verdictAtMs = this.now()
    const { verdict, reason } = this.result(undefined, false)
    this.emit({ kind: 'verdict', verdict, reason, attempt: attempt.id })
    void this.measureAll()
  }

  private async measureAll(): Promise<void> {
    if (this.measuring) return
    this.measuring = true
    this.phase('measuring')
    const chosen = this.chosen!
    const jobs = [this.measure(chosen)]
    const relay = this.attempts.get(2)
    // The relay attempt may still be connecting: measured once it is (bounded).
    const relayUp = (): boolean => this.probes.has(relay!.id) || !!relay!.failure || this.closed
    if (relay && relay !== chosen && !relay.failure) jobs.push(pollUntil(relayUp, RELAY_MEASURE_WAIT_MS, 50).then(() => this.measure(relay)))
    await Promise.all(jobs)
    this.timing.measuredAtMs = this.now()
    await this.endMeasuring()
  }

  private async measure(attempt: Attempt): Promise<void> {
    const probe = this.probes.get(attempt.id)
    if (probe) await this.meter.measure(attempt, probe, attempt === this.chosen)
  }

  /**
   * Until the other side says "done" (its pings and its half of the report are sent), bounded: a side
   * busy with its own work counts throughput late and reads low.
   */
  private async peerSettled(): Promise<void> {
    const probe = (): ProbeChannel | undefined => this.chosen && this.probes.get(this.chosen.id)
    await pollUntil(() => this.closed || !probe()?.open || !!probe()?.peerDone, PEER_SETTLE_MS, 20)
  }

  private async endMeasuring(): Promise<void> {
    if (this.ownDone) return
    const offset = clockOffset(this.meter.offsets)
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
    // The other side's "done" may never come (it quit, or does not speak the probe). While it still
    // runs throughput tests over our channels (the host measures after the joiner is done), wait on.
    const graceOver = (): void => {
      const busy = [...this.probes.values()].some((p) => p.open && measurementIdleMs(p.dc) < PEER_DONE_GRACE_MS)
      if (busy && this.now() < (this.options.timeoutMs ?? 30_000) + MEASURE_LIMIT_MS) this.timers.later(graceOver, 500)
      else this.finish()
    }
    this.timers.later(graceOver, PEER_DONE_GRACE_MS)
  }

  private maybeFinish(): void {
    const probe = this.chosen && this.probes.get(this.chosen.id)
    if (this.ownDone && probe?.peerDone) this.finish()
  }

  /** The session as seen so far; `final` also stops the timers and records the last phase. */
  private result(failure: string | undefined, final = true): SessionResult {
    if (final) {
      this.timers.clear()
      for (const a of this.attempts.values()) a.stopSampling()
    }
    this.chosen?.readSelected()
    const { role } = this.options
    const { nat, peerNat, prediction } = this.nat
    const seen = { role, failure, startedAt: this.startedAt, attempts: [...this.attempts.values()], chosen: this.chosen, events: this.events, nat, peerNat, ...this.timing }
    const result = sessionResult({
      ...seen,
      paths: this.meter.paths,
      offsets: this.meter.offsets,
      ...(this.peer ? { peer: this.peer } : {}),
      ...(prediction ? { prediction } : {}),
      ...(this.chosen ? { relayTransport: relayTransportOf(this.chosen.pc) } : {})
    })
    if (final) this.phase(result.verdict === 'failed' ? 'failed' : 'done', result.reason)
    return final ? { ...result, events: [...this.events] } : result
  }

  /** UDP port tests outside WebRTC, after the session (porttest/exchange.ts). */
  async runPortTests(): Promise<UdpPortTest[]> {
    const role = this.options.role
    const ports = role === 'host' ? (this.sides.peer(FEATURE_PORT_TEST) ? (this.options.portTests ?? []) : []) : this.peerPortTests
    if (!ports.length || this.closed) return []
    return this.portTests.run({
      role,
      ports,
      send: (type, data) => this.send(type, data),
      peerClockOffsetMs: () => this.result(undefined, false).peerClockOffsetMs,
      remoteCandidates: () => this.result(undefined, false).remoteCandidates,
      onStart: (list) => this.phase('measuring', `UDP port test on ${list.join(', ')}`)
    })
  }

  /** Tells the other side we are leaving, then releases the attempts and the channel. */
  async close(reason?: string): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.finish(reason ?? 'closed')
    // Tell the other side why we leave when we leave without a path: it then says the same, not just "left".
    reason ??= this.chosen ? undefined : this.events.findLast((e) => e.kind === 'error')?.message
    this.timers.clear()
    const probe = this.chosen && this.probes.get(this.chosen.id)
    await probe?.drained(1_000)
    await this.options.channel.send('bye', reason ? { reason } : {}).catch(() => {})
    await this.options.channel.close()
    await Promise.all([...this.attempts.values()].map((a) => a.close()))
  }
}
