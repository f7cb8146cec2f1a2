import { randomBytes } from 'node:crypto'
import type { RawDatagrams } from '../werift/rawDatagrams'
import { decodeUdpProbe, encodeUdpProbe, hasToken, UdpProbeKind } from '../../shared/protocol/udpProbe'
import { drainAfter, nextStep, type RatePlanOptions, type StepOutcome } from '../../shared/measure/udpRate'
import { decodeRateControl, encodeRateControl, RATE_LIMITS, refuseSend, STEP_SEQ_SPAN, StepCounters, tokenBytes, tokenHex, type RateControl } from '../../shared/measure/udpRateControl'

/**
 * The UDP rate search on a live connection (src/shared/measure/udpRate.ts decides the steps): the
 * driving side (the host) asks the other side, over the "peerlens" data channel, to count a train it
 * sends (host → joiner) or to send one toward it (joiner → host), one step at a time. Datagrams go
 * on the selected ICE pair (rawDatagrams): the path the session chose, direct or through the relay.
 * Each side of a channel runs one UdpRateEndpoint: it answers the other side's requests (within
 * RATE_LIMITS, one train at a time) and runs its own.
 */

export interface RateChannel {
  readonly readyState: string
  send(data: string): void
  onMessage: { subscribe(cb: (data: string | Buffer) => void): { unSubscribe(): void } }
}

export type RateDirection = 'hostToJoin' | 'joinToHost'

/** At most this many datagrams handed to the socket and not yet sent: never an unbounded queue. */
const MAX_IN_FLIGHT = 64
const REPLY_WAIT_MS = 3_000

/**
 * Paces one step: sends the packets that are due by the clock, in small batches, yielding between
 * them; stops at the step's length even when it could not keep up. Returns what it sent and how long.
 */
export async function paceStep(send: (data: Buffer) => Promise<void>, o: { token: Uint8Array; step: number; rateBps: number; ms: number; size: number }, stopped: () => boolean = () => false): Promise<{ sent: number; ms: number }> {
  const total = Math.max(1, Math.floor((o.rateBps * o.ms) / 1000 / o.size))
  const intervalMs = (o.size * 1000) / o.rateBps
  const start = performance.now()
  let sent = 0
  let inFlight = 0
  const done = (): void => void inFlight--
  while (sent < total && !stopped()) {
    const now = performance.now()
    const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1)
    while (sent < due && inFlight < MAX_IN_FLIGHT) {
      const packet = encodeUdpProbe({ kind: UdpProbeKind.rateData, token: o.token, seq: o.step * STEP_SEQ_SPAN + sent, sentMs: now }, o.size)
      inFlight++
      send(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength)).then(done, done)
      sent++
    }
    if (now - start >= o.ms) break
    const wait = start + sent * intervalMs - performance.now()
    await new Promise<void>((r) => (wait > 3 ? setTimeout(r, wait - 2) : setImmediate(r)))
  }
  const ms = Math.max(o.ms, performance.now() - start)
  // Let the last datagrams reach the socket (bounded).
  for (let i = 0; i < 50 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 2))
  return { sent, ms }
}

interface Train {
  id: number
  token: Uint8Array
  counters?: StepCounters
  unsubscribe?: () => void
  sentBytes: number
  sending: boolean
  idle?: NodeJS.Timeout
}

export class UdpRateEndpoint {
  private train: Train | undefined
  private readonly waiting = new Map<string, (m: RateControl) => void>()
  private readonly sub: { unSubscribe(): void }
  private lastActivity = -Infinity
  private running = false
  private closed = false

  constructor(
    private readonly dc: RateChannel,
    private readonly datagrams: () => RawDatagrams | undefined
  ) {
    this.sub = dc.onMessage.subscribe((data) => {
      const m = decodeRateControl(data)
      if (m) this.onControl(m)
    })
  }

  /** Milliseconds since this endpoint last sent, counted or ran a train (0 while one runs; Infinity: never). */
  get idleMs(): number {
    if (this.running || this.train) return 0
    return performance.now() - this.lastActivity
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.sub.unSubscribe()
    this.endTrain()
    for (const w of this.waiting.values()) w({ t: 'ur-close', id: -1 })
    this.waiting.clear()
  }

  /** Runs the rate search one way; the steps as sent and counted (fewer when the other side stops answering). */
  async run(direction: RateDirection, plan: RatePlanOptions): Promise<StepOutcome[]> {
    const datagrams = this.datagrams()
    if (!datagrams) throw new Error('no selected pair for UDP probes')
    if (this.running) throw new Error('a UDP rate train is already running')
    this.running = true
    const id = Math.floor(Math.random() * 2 ** 31)
    const token = randomBytes(8)
    const results: StepOutcome[] = []
    const started = performance.now()
    let unsubscribe: (() => void) | undefined
    const counters = new StepCounters()
    try {
      if (direction === 'hostToJoin') {
        const ready = await this.ask({ t: 'ur-listen', id, token: tokenHex(token) }, `ur-ready:${id}`)
        if (ready?.t !== 'ur-ready' || !ready.ok) throw new Error(`the other side does not count the train${ready?.t === 'ur-ready' && ready.reason ? `: ${ready.reason}` : ''}`)
      } else unsubscribe = datagrams.subscribe(counting(token, counters))
      for (let k = 0; k < RATE_LIMITS.maxSteps && !this.closed; k++) {
        const step = nextStep(results, plan, performance.now() - started)
        if (!step) break
        let sent: { sent: number; ms: number }
        let counts: ReturnType<StepCounters['counts']>
        if (direction === 'hostToJoin') {
          sent = await paceStep((b) => datagrams.send(b), { token, step: k, rateBps: step.offeredBps, ms: step.ms, size: plan.packetBytes }, () => this.closed)
          const reply = await this.ask({ t: 'ur-report', id, step: k }, `ur-counts:${id}:${k}`)
          if (reply?.t !== 'ur-counts') break
          counts = reply
        } else {
          const reply = await this.ask({ t: 'ur-send', id, token: tokenHex(token), step: k, rateBps: step.offeredBps, ms: step.ms, size: plan.packetBytes }, `ur-sent:${id}:${k}`, step.ms)
          if (reply?.t !== 'ur-sent' || reply.reason) break
          sent = reply
          counts = counters.counts(k)
        }
        const outcome: StepOutcome = { ...step, sent: sent.sent, sentMs: sent.ms, ...counts, received: Math.min(counts.received, sent.sent) }
        results.push(outcome)
        const drain = drainAfter(outcome, plan.packetBytes)
        if (drain) await new Promise((r) => setTimeout(r, drain))
      }
      return results
    } finally {
      unsubscribe?.()
      if (this.dc.readyState === 'open') this.dc.send(encodeRateControl({ t: 'ur-close', id }))
      this.running = false
      this.lastActivity = performance.now()
    }
  }

  /** Sends a request and waits for its answer (undefined after REPLY_WAIT_MS past `extraMs`). */
  private ask(m: RateControl, key: string, extraMs = 0): Promise<RateControl | undefined> {
    if (this.closed || this.dc.readyState !== 'open') return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key)
        resolve(undefined)
      }, REPLY_WAIT_MS + extraMs)
      this.waiting.set(key, (reply) => {
        clearTimeout(timer)
        this.waiting.delete(key)
        resolve(reply)
      })
      this.dc.send(encodeRateControl(m))
    })
  }

  private reply(m: RateControl): void {
    if (!this.closed && this.dc.readyState === 'open') this.dc.send(encodeRateControl(m))
  }

  private onControl(m: RateControl): void {
    switch (m.t) {
      case 'ur-ready':
        return this.waiting.get(`ur-ready:${m.id}`)?.(m)
      case 'ur-counts':
        return this.waiting.get(`ur-counts:${m.id}:${m.step}`)?.(m)
      case 'ur-sent':
        return this.waiting.get(`ur-sent:${m.id}:${m.step}`)?.(m)
      case 'ur-close':
        if (this.train?.id === m.id) this.endTrain()
        return
      case 'ur-listen': {
        const train = this.trainFor(m.id, m.token)
        if (!train) return this.reply({ t: 'ur-ready', id: m.id, ok: false, reason: 'another train is running' })
        const datagrams = this.datagrams()
        if (!datagrams) return this.reply({ t: 'ur-ready', id: m.id, ok: false, reason: 'no selected pair for UDP probes' })
        if (!train.counters) {
          train.counters = new StepCounters()
          train.unsubscribe = datagrams.subscribe(counting(train.token, train.counters))
        }
        return this.reply({ t: 'ur-ready', id: m.id, ok: true })
      }
      case 'ur-report': {
        if (this.train?.id !== m.id || !this.train.counters) return
        this.touch()
        return this.reply({ t: 'ur-counts', id: m.id, step: m.step, ...this.train.counters.counts(m.step) })
      }
      case 'ur-send':
        return void this.answerSend(m)
    }
  }

  private async answerSend(m: Extract<RateControl, { t: 'ur-send' }>): Promise<void> {
    const refuse = (reason: string): void => this.reply({ t: 'ur-sent', id: m.id, step: m.step, sent: 0, ms: 0, reason })
    const train = this.trainFor(m.id, m.token)
    if (!train || train.sending) return refuse('another train or step is running')
    const why = refuseSend(m, train.sentBytes)
    if (why) return refuse(why)
    const datagrams = this.datagrams()
    if (!datagrams) return refuse('no selected pair for UDP probes')
    train.sending = true
    train.sentBytes += (m.rateBps * m.ms) / 1000
    try {
      const r = await paceStep((b) => datagrams.send(b), { token: train.token, step: m.step, rateBps: m.rateBps, ms: m.ms, size: m.size }, () => this.closed || this.train !== train)
      this.reply({ t: 'ur-sent', id: m.id, step: m.step, sent: r.sent, ms: Math.round(r.ms * 100) / 100 })
    } finally {
      train.sending = false
      this.touch()
    }
  }

  /** The train with this id (created when none runs), or undefined while another one does. */
  private trainFor(id: number, token: string): Train | undefined {
    if (this.train && this.train.id !== id) return undefined
    this.train ??= { id, token: tokenBytes(token), sentBytes: 0, sending: false }
    this.touch()
    return this.train
  }

  /** Activity on the train: it lives RATE_LIMITS.idleMs more. */
  private touch(): void {
    this.lastActivity = performance.now()
    const train = this.train
    if (!train) return
    clearTimeout(train.idle)
    train.idle = setTimeout(() => {
      if (this.train === train) this.endTrain()
    }, RATE_LIMITS.idleMs)
    train.idle.unref?.()
  }

  private endTrain(): void {
    const train = this.train
    if (!train) return
    clearTimeout(train.idle)
    train.unsubscribe?.()
    this.train = undefined
    this.lastActivity = performance.now()
  }
}

/** A datagram listener that counts rate data with `token`, per step. */
function counting(token: Uint8Array, counters: StepCounters): (data: Buffer) => void {
  return (data) => {
    if (!hasToken(data, token)) return
    const p = decodeUdpProbe(data)
    if (p?.kind === UdpProbeKind.rateData) counters.add(p.seq, data.length, performance.now())
  }
}

const endpoints = new WeakMap<RateChannel, UdpRateEndpoint>()

/** The channel's endpoint, created on first use (both sides call it when the channel opens). */
export function attachUdpRate(dc: RateChannel, datagrams: () => RawDatagrams | undefined): UdpRateEndpoint {
  let e = endpoints.get(dc)
  if (!e) {
    e = new UdpRateEndpoint(dc, datagrams)
    endpoints.set(dc, e)
  }
  return e
}

/** The channel's endpoint when one is attached. */
export function udpRateEndpoint(dc: RateChannel): UdpRateEndpoint | undefined {
  return endpoints.get(dc)
}
