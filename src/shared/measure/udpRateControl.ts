import { UDP_PROBE_MAX_BYTES, UDP_PROBE_MIN_BYTES, UDP_TOKEN_BYTES } from '../protocol/udpProbe'
import { ArrivalWindows, isMark, markFor } from './udpRate'
import { parseJsonObject } from '../jsonObject'

/**
 * The control messages of a UDP rate train (feature "udp-probes"), small JSON strings on the reliable
 * "peerlens" data channel beside the probe messages (src/shared/probe.ts); the rate datagrams
 * themselves travel on the selected ICE pair (src/shared/protocol/udpProbe.ts, kind 3). The host
 * drives; the joiner answers within limits it enforces itself (the host is untrusted too).
 *
 *   listen  host → joiner  count datagrams with this token (host → joiner direction)
 *   report  host → joiner  what arrived in step `step`
 *   counts  joiner → host  the answer: received, payload bytes, first and last arrival (joiner's clock, ms)
 *   send    host → joiner  pace step `step` toward me at rateBps for ms (joiner → host direction)
 *   sent    joiner → host  the answer: packets sent and how long it took, or why not
 *   close   host → joiner  the train is over
 *
 * Step k's datagrams carry sequence numbers from k * STEP_SEQ_SPAN, so the receiver counts each step
 * apart without per-packet memory.
 */
export const STEP_SEQ_SPAN = 2 ** 20
/** Limits the answering side enforces, whatever it is asked. */
export const RATE_LIMITS = {
  maxBps: 125_000_000,
  maxStepMs: 3_000,
  maxSteps: 64,
  /** Payload bytes one train may make this side send. */
  maxTrainBytes: 256 * 1024 * 1024,
  /** A train with no control message for this long is closed. */
  idleMs: 10_000
} as const

export type RateControl =
  | { t: 'ur-listen'; id: number; token: string }
  | { t: 'ur-ready'; id: number; ok: boolean; reason?: string }
  | { t: 'ur-report'; id: number; step: number }
  | { t: 'ur-counts'; id: number; step: number; received: number; bytes: number; firstMs: number | null; lastMs: number | null; fromN?: number; fromMs?: number; medianBps?: number }
  | { t: 'ur-send'; id: number; token: string; step: number; rateBps: number; ms: number; size: number }
  | { t: 'ur-sent'; id: number; step: number; sent: number; ms: number; reason?: string }
  | { t: 'ur-close'; id: number }

const TOKEN = /^[0-9a-f]{16}$/

export function encodeRateControl(m: RateControl): string {
  return JSON.stringify(m)
}

const int = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max
const num = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max
const time = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v))
const reason = (v: unknown): { reason?: string } => (typeof v === 'string' ? { reason: v.slice(0, 200) } : {})

/** Reads a control message defensively; undefined for anything else (probe messages, garbage, out-of-range numbers). */
export function decodeRateControl(data: unknown): RateControl | undefined {
  if (typeof data !== 'string' || data.length > 1000 || !data.startsWith('{"t":"ur-')) return undefined
  const m = parseJsonObject(data)
  if (!m || !int(m.id, 2 ** 31)) return undefined
  const id = m.id
  const step = int(m.step, RATE_LIMITS.maxSteps - 1) ? m.step : undefined
  switch (m.t) {
    case 'ur-listen':
      return typeof m.token === 'string' && TOKEN.test(m.token) ? { t: 'ur-listen', id, token: m.token } : undefined
    case 'ur-ready':
      return typeof m.ok === 'boolean' ? { t: 'ur-ready', id, ok: m.ok, ...reason(m.reason) } : undefined
    case 'ur-report':
      return step !== undefined ? { t: 'ur-report', id, step } : undefined
    case 'ur-counts':
      if (step === undefined || !int(m.received, 1e9) || !num(m.bytes, 1e12) || !time(m.firstMs) || !time(m.lastMs)) return undefined
      return { t: 'ur-counts', id, step, received: m.received, bytes: m.bytes, firstMs: m.firstMs, lastMs: m.lastMs, ...(int(m.fromN, 1e9) && typeof m.fromMs === 'number' && Number.isFinite(m.fromMs) ? { fromN: m.fromN, fromMs: m.fromMs } : {}), ...(num(m.medianBps, 1e12) ? { medianBps: m.medianBps } : {}) }
    case 'ur-send':
      if (step === undefined || typeof m.token !== 'string' || !TOKEN.test(m.token) || !num(m.rateBps, 1e12) || !num(m.ms, 1e6) || !int(m.size, 65_535)) return undefined
      return { t: 'ur-send', id, token: m.token, step, rateBps: m.rateBps, ms: m.ms, size: m.size }
    case 'ur-sent':
      if (step === undefined || !int(m.sent, 1e9) || !num(m.ms, 1e7)) return undefined
      return { t: 'ur-sent', id, step, sent: m.sent, ms: m.ms, ...reason(m.reason) }
    case 'ur-close':
      return { t: 'ur-close', id }
    default:
      return undefined
  }
}

/** Why the answering side refuses to send this step (its own limits), or undefined when it will. */
export function refuseSend(m: Extract<RateControl, { t: 'ur-send' }>, trainBytes: number): string | undefined {
  if (m.rateBps <= 0 || m.rateBps > RATE_LIMITS.maxBps) return `rate ${m.rateBps} B/s outside 1..${RATE_LIMITS.maxBps}`
  if (m.ms <= 0 || m.ms > RATE_LIMITS.maxStepMs) return `step of ${m.ms} ms outside 1..${RATE_LIMITS.maxStepMs}`
  if (m.size < UDP_PROBE_MIN_BYTES || m.size > UDP_PROBE_MAX_BYTES) return `packet size ${m.size} outside ${UDP_PROBE_MIN_BYTES}..${UDP_PROBE_MAX_BYTES}`
  if (trainBytes + (m.rateBps * m.ms) / 1000 > RATE_LIMITS.maxTrainBytes) return `the train would pass ${RATE_LIMITS.maxTrainBytes} bytes`
  return undefined
}

export function tokenHex(token: Uint8Array): string {
  return Array.from(token.subarray(0, UDP_TOKEN_BYTES), (b) => b.toString(16).padStart(2, '0')).join('')
}

export function tokenBytes(hex: string): Uint8Array {
  const out = new Uint8Array(UDP_TOKEN_BYTES)
  for (let i = 0; i < UDP_TOKEN_BYTES; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

interface Counter {
  received: number
  bytes: number
  firstMs: number
  lastMs: number
  /** Arrival times of packets 16, 32, 64, ... (at most 27 of them). */
  marks: Map<number, number>
  windows: ArrivalWindows
}

/** Per-step arrival counters of one train: bounded (one entry per step, at most RATE_LIMITS.maxSteps, a few marks each). */
export class StepCounters {
  private readonly steps = new Map<number, Counter>()

  /** Counts one datagram of sequence `seq`, `payload` bytes, arrived at `atMs`. */
  add(seq: number, payload: number, atMs: number): void {
    const step = Math.floor(seq / STEP_SEQ_SPAN)
    if (step >= RATE_LIMITS.maxSteps) return
    const c = this.steps.get(step)
    if (c) {
      c.received++
      c.bytes += payload
      c.lastMs = atMs
      if (isMark(c.received)) c.marks.set(c.received, atMs)
      c.windows.add(payload, atMs)
    } else {
      const windows = new ArrivalWindows()
      windows.add(payload, atMs)
      this.steps.set(step, { received: 1, bytes: payload, firstMs: atMs, lastMs: atMs, marks: new Map(), windows })
    }
  }

  counts(step: number): { received: number; bytes: number; firstMs: number | null; lastMs: number | null; fromN?: number; fromMs?: number; medianBps?: number } {
    const c = this.steps.get(step)
    if (!c) return { received: 0, bytes: 0, firstMs: null, lastMs: null }
    const fromN = markFor(c.received)
    const fromMs = fromN === undefined ? undefined : c.marks.get(fromN)
    const medianBps = c.windows.median()
    return { received: c.received, bytes: c.bytes, firstMs: c.firstMs, lastMs: c.lastMs, ...(fromN !== undefined && fromMs !== undefined ? { fromN, fromMs } : {}), ...(medianBps !== undefined ? { medianBps } : {}) }
  }
}
