import { ECHO_MAX_COUNT, ECHO_PLAN, echoWaitMs, type EchoPlan, type EchoSample } from '../../shared/measure/echoStats'
import { decodeEchoControl, encodeEchoControl, tokenHex, type EchoControl } from '../../shared/measure/echoControl'
import { decodeUdpProbe, encodeUdpProbe, hasToken, UDP_PROBE_MAGIC, UDP_PROBE_MAX_BYTES, UDP_PROBE_MIN_BYTES, UDP_TOKEN_BYTES, UdpProbeKind } from '../../shared/protocol/udpProbe'
import { rawDatagrams, type RawDatagrams } from '../werift/rawDatagrams'
import type { RTCPeerConnection } from '../werift/rtc'

/**
 * The UDP echo train on the selected ICE pair (feature "udp-probes"): RTT, loss and jitter of the
 * path itself, without SCTP's retransmissions and queues in the way. The initiator agrees a fresh
 * random token with the other side over the reliable data channel (src/shared/measure/echoControl.ts),
 * sends the plan's requests at a fixed spacing as raw datagrams beside DTLS, and collects the
 * replies; the responder echoes each request at once with its own clock, only for tokens it was
 * told about, at a bounded rate and count, with a cap on open tokens. Times are wall-clock based
 * (performance.timeOrigin + performance.now()): precise, and comparable with the peer's for the
 * clock offset estimate. The statistics are pure: src/shared/measure/echoStats.ts.
 */

/** The "peerlens" data channel as the echo train uses it (werift's RTCDataChannel fits). */
export interface ControlChannel {
  readonly readyState: string
  send(data: string): void
  readonly onMessage: { subscribe(fn: (data: Buffer | string) => void): { unSubscribe(): void } }
}

/** The responder's bounds against an untrusted initiator (or spoofed datagrams). */
export interface EchoLimits {
  /** Tokens open at once; more opens are refused (no "ok"). */
  maxOpen: number
  /** Echoes per token: at most the count asked for, and never more than this. */
  maxPerToken: number
  /** Echo rate per token: `burst` at once, then `perSecond`. */
  burst: number
  perSecond: number
  /** A token is forgotten this long after it was opened. */
  lifetimeMs: number
}

export const ECHO_LIMITS: EchoLimits = { maxOpen: 4, maxPerToken: ECHO_MAX_COUNT, burst: 50, perSecond: 1_000, lifetimeMs: 10_000 }

/** How long the initiator waits for "ok" and for the responder's count: messages on the data channel, which a lost packet delays by a retransmission timeout. */
const OK_WAIT_MS = 2_000
const COUNT_WAIT_MS = 1_500

export const wallNow = (): number => performance.timeOrigin + performance.now()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)))
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

interface OpenToken {
  token: Uint8Array
  hex: string
  max: number
  received: number
  echoed: number
  openedAt: number
}

/** Answers the other side's echo trains on one connection: opened over `dc`, echoed on `raw()`'s selected pair. */
export class EchoResponder {
  private readonly open = new Map<string, OpenToken>()
  private raw: RawDatagrams | undefined
  private unsubscribe: (() => void) | undefined
  /** Requests dropped: unknown token, over the count or rate bound (for tests). */
  ignored = 0

  constructor(
    private readonly dc: ControlChannel,
    private readonly getRaw: () => RawDatagrams | undefined,
    private readonly limits: EchoLimits = ECHO_LIMITS
  ) {
    dc.onMessage.subscribe((data) => this.control(data))
  }

  get openTokens(): number {
    return this.open.size
  }

  private send(m: EchoControl): void {
    if (this.dc.readyState === 'open') this.dc.send(encodeEchoControl(m))
  }

  private control(data: Buffer | string): void {
    const m = decodeEchoControl(data)
    if (!m) return
    this.expire()
    if (m.t === 'udp-echo') {
      if (!this.open.has(m.token) && this.open.size >= this.limits.maxOpen) return
      this.raw ??= this.getRaw()
      if (!this.raw) return
      const token = Uint8Array.from(m.token.match(/../g)!.map((h) => parseInt(h, 16)))
      this.open.set(m.token, { token, hex: m.token, max: Math.min(m.count, this.limits.maxPerToken), received: 0, echoed: 0, openedAt: performance.now() })
      this.unsubscribe ??= this.raw.subscribe((d) => this.datagram(d))
      // A train its initiator never ended still stops listening once its lifetime is over.
      setTimeout(() => this.expire(), this.limits.lifetimeMs + 50).unref()
      this.send({ t: 'udp-echo-ok', token: m.token })
    } else if (m.t === 'udp-echo-end') {
      const t = this.open.get(m.token)
      if (!t) return
      this.forget(t)
      this.send({ t: 'udp-echo-count', token: t.hex, received: t.received })
    }
  }

  private forget(t: OpenToken): void {
    this.open.delete(t.hex)
    if (this.open.size === 0) {
      this.unsubscribe?.()
      this.unsubscribe = undefined
    }
  }

  private expire(): void {
    const now = performance.now()
    for (const t of [...this.open.values()]) if (now - t.openedAt > this.limits.lifetimeMs) this.forget(t)
  }

  private datagram(data: Buffer): void {
    if (data[0] !== UDP_PROBE_MAGIC || data[1] !== UdpProbeKind.echoRequest) return
    if (data.length < UDP_PROBE_MIN_BYTES || data.length > UDP_PROBE_MAX_BYTES) return
    let t: OpenToken | undefined
    for (const o of this.open.values()) if (hasToken(data, o.token)) t = o
    if (!t) return void this.ignored++
    const elapsed = performance.now() - t.openedAt
    if (elapsed > this.limits.lifetimeMs) return void this.forget(t)
    const p = decodeUdpProbe(data)
    if (!p) return void this.ignored++
    t.received = Math.min(t.max, t.received + 1)
    if (t.echoed >= t.max || t.echoed >= this.limits.burst + (elapsed / 1000) * this.limits.perSecond) return void this.ignored++
    t.echoed++
    // The reply is exactly as large as the request: no amplification.
    const reply = encodeUdpProbe({ kind: UdpProbeKind.echoReply, token: p.token, seq: p.seq, sentMs: p.sentMs, echoedMs: wallNow() }, data.length)
    this.raw!.send(toBuffer(reply)).catch(() => undefined)
  }
}

const responders = new WeakMap<object, EchoResponder>()

/** Makes this side answer echo trains the other side opens on `dc` (once per channel). */
export function attachEchoResponder(dc: ControlChannel, raw: () => RawDatagrams | undefined, limits?: EchoLimits): EchoResponder {
  const known = responders.get(dc)
  if (known) return known
  const r = new EchoResponder(dc, raw, limits)
  responders.set(dc, r)
  return r
}

/** Makes this side answer echo trains on `pc`'s selected pair, opened over its "peerlens" channel `dc`. */
export function answerEchoTrains(dc: ControlChannel, pc: RTCPeerConnection): EchoResponder {
  return attachEchoResponder(dc, () => rawDatagrams(pc))
}

export interface EchoTrainResult {
  plan: EchoPlan
  samples: EchoSample[]
  /** The responder's count of requests it got; null when it did not say. */
  peerReceived: number | null
}

/** The next control message for `token` of kind `t`, or undefined after `ms`. */
function awaitControl<K extends EchoControl['t']>(dc: ControlChannel, token: string, t: K, ms: number): Promise<Extract<EchoControl, { t: K }> | undefined> {
  return new Promise((resolve) => {
    const sub = dc.onMessage.subscribe((data) => {
      const m = decodeEchoControl(data)
      if (m && m.t === t && m.token === token) done(m as Extract<EchoControl, { t: K }>)
    })
    const timer = setTimeout(() => done(undefined), ms)
    function done(m: Extract<EchoControl, { t: K }> | undefined): void {
      clearTimeout(timer)
      sub.unSubscribe()
      resolve(m)
    }
  })
}

/**
 * Runs one echo train as the initiator. Undefined when the other side did not agree to it (no
 * "ok" in time: it does not answer UDP probes, or has too many trains open); the caller falls back.
 */
export async function runEchoTrain(dc: ControlChannel, raw: RawDatagrams, plan: EchoPlan = ECHO_PLAN): Promise<EchoTrainResult | undefined> {
  const count = Math.max(1, Math.min(ECHO_MAX_COUNT, Math.floor(plan.count)))
  const token = globalThis.crypto.getRandomValues(new Uint8Array(UDP_TOKEN_BYTES))
  const hex = tokenHex(token)
  if (dc.readyState !== 'open') return undefined
  const ok = awaitControl(dc, hex, 'udp-echo-ok', OK_WAIT_MS)
  dc.send(encodeEchoControl({ t: 'udp-echo', token: hex, count }))
  if (!(await ok)) return undefined

  const samples: EchoSample[] = []
  let received = 0
  let maxRtt: number | null = null
  const stop = raw.subscribe((data) => {
    if (data[1] !== UdpProbeKind.echoReply || !hasToken(data, token)) return
    const at = wallNow()
    const p = decodeUdpProbe(data)
    const s = p && p.seq < samples.length ? samples[p.seq] : undefined
    // The reply must echo what we sent (a stale or forged reply does not count) and come once.
    if (!p || !s || s.receivedMs !== null || p.sentMs !== s.sentMs) return
    s.receivedMs = at
    s.echoedMs = p.echoedMs ?? null
    received++
    maxRtt = Math.max(maxRtt ?? 0, at - s.sentMs)
  })
  try {
    const start = performance.now()
    let lastSent = start
    for (let seq = 0; seq < count && dc.readyState === 'open'; ) {
      while (seq < count && start + seq * plan.spacingMs <= performance.now()) {
        const sentMs = wallNow()
        samples.push({ seq, sentMs, echoedMs: null, receivedMs: null })
        raw.send(toBuffer(encodeUdpProbe({ kind: UdpProbeKind.echoRequest, token, seq, sentMs }, plan.bytes))).catch(() => undefined)
        lastSent = performance.now()
        seq++
      }
      if (seq < count) await sleep(start + seq * plan.spacingMs - performance.now())
    }
    while (received < samples.length && performance.now() < lastSent + echoWaitMs(maxRtt)) await sleep(5)
  } finally {
    stop()
  }
  const counted = dc.readyState === 'open' ? awaitControl(dc, hex, 'udp-echo-count', COUNT_WAIT_MS) : Promise.resolve(undefined)
  if (dc.readyState === 'open') dc.send(encodeEchoControl({ t: 'udp-echo-end', token: hex }))
  const peer = await counted
  return { plan: { ...plan, count }, samples, peerReceived: peer ? peer.received : null }
}
