/**
 * The data-channel protocol, shared by the engine and the browser join page (plain code, no Node).
 * Messages on the "peerlens" data channel: pings and their echoes (the echo carries the responder's
 * clock for the offset estimate), "chosen" (the host says which attempt's path the session uses),
 * this side's half of the report in chunks (a data channel message should stay small), and "done".
 * Payload bytes for throughput tests travel as binary messages and never look like these.
 */
import { parseJsonObject } from './jsonObject'

export type ProbeMessage =
  | { t: 'ping'; id: number; ts: number }
  | { t: 'pong'; id: number; ts: number; rts?: number }
  | { t: 'chosen' }
  | { t: 'side'; part: number; of: number; data: string }
  | { t: 'done' }

export const SIDE_CHUNK_CHARS = 16 * 1024
const MAX_SIDE_PARTS = 256

export function encodeProbe(message: ProbeMessage): string {
  return JSON.stringify(message)
}

export function decodeProbe(data: unknown): ProbeMessage | undefined {
  if (typeof data !== 'string') return undefined
  const m = parseJsonObject(data)
  if (!m) return undefined
  if (m.t === 'done' || m.t === 'chosen') return { t: m.t }
  if (m.t === 'ping' && Number.isInteger(m.id) && typeof m.ts === 'number') return { t: 'ping', id: m.id as number, ts: m.ts }
  if (m.t === 'pong' && Number.isInteger(m.id) && typeof m.ts === 'number') {
    return typeof m.rts === 'number' ? { t: 'pong', id: m.id as number, ts: m.ts, rts: m.rts } : { t: 'pong', id: m.id as number, ts: m.ts }
  }
  if (m.t === 'side' && Number.isInteger(m.part) && Number.isInteger(m.of) && typeof m.data === 'string') {
    const part = m.part as number
    const of = m.of as number
    if (of >= 1 && of <= MAX_SIDE_PARTS && part >= 0 && part < of) return { t: 'side', part, of, data: m.data }
  }
  return undefined
}

export function chunkSide(side: unknown): ProbeMessage[] {
  const text = JSON.stringify(side)
  const of = Math.max(1, Math.ceil(text.length / SIDE_CHUNK_CHARS))
  if (of > MAX_SIDE_PARTS) throw new Error('side report too large for the data channel')
  return Array.from({ length: of }, (_, part) => ({ t: 'side', part, of, data: text.slice(part * SIDE_CHUNK_CHARS, (part + 1) * SIDE_CHUNK_CHARS) }))
}

/** Collects side chunks; returns the parsed side once every part arrived, undefined until then. */
export class SideAssembler {
  private parts: string[] = []
  private got = 0

  add(m: Extract<ProbeMessage, { t: 'side' }>): unknown {
    if (this.parts.length !== m.of) {
      this.parts = new Array<string>(m.of)
      this.got = 0
    }
    if (this.parts[m.part] === undefined) this.got++
    this.parts[m.part] = m.data
    if (this.got < m.of) return undefined
    try {
      return JSON.parse(this.parts.join('')) as unknown
    } catch {
      return undefined
    }
  }
}
