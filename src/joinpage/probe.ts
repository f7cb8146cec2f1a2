// The data-channel probe, encoded exactly as src/core/peer/probe.ts encodes it (that file is
// Node code; test/joinpage/probe.test.ts checks that both agree).

export type ProbeMessage =
  | { t: 'ping'; id: number; ts: number }
  | { t: 'pong'; id: number; ts: number; rts?: number }
  | { t: 'side'; part: number; of: number; data: string }
  | { t: 'done' }

export const SIDE_CHUNK_CHARS = 16 * 1024
const MAX_SIDE_PARTS = 256

export function encodeProbe(message: ProbeMessage): string {
  return JSON.stringify(message)
}

export function decodeProbe(data: unknown): ProbeMessage | undefined {
  if (typeof data !== 'string') return undefined
  let m: Record<string, unknown>
  try {
    m = JSON.parse(data) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (!m || typeof m !== 'object') return undefined
  if (m.t === 'done') return { t: 'done' }
  if ((m.t === 'ping' || m.t === 'pong') && Number.isInteger(m.id) && typeof m.ts === 'number') {
    return { t: m.t, id: m.id as number, ts: m.ts }
  }
  // The host's own side report arrives too; the page has no use for it and ignores it.
  return undefined
}

export function chunkSide(side: unknown): ProbeMessage[] {
  const text = JSON.stringify(side)
  const of = Math.max(1, Math.ceil(text.length / SIDE_CHUNK_CHARS))
  if (of > MAX_SIDE_PARTS) throw new Error('side report too large for the data channel')
  return Array.from({ length: of }, (_, part) => ({ t: 'side', part, of, data: text.slice(part * SIDE_CHUNK_CHARS, (part + 1) * SIDE_CHUNK_CHARS) }))
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
