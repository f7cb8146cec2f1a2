/** Messages of the data-channel probe: pings with their echo, then "done" when a side has its numbers. */
export type ProbeMessage = { t: 'ping'; id: number; ts: number } | { t: 'pong'; id: number; ts: number } | { t: 'done' }

export function encodeProbe(message: ProbeMessage): string {
  return JSON.stringify(message)
}

export function decodeProbe(data: string | Buffer): ProbeMessage | undefined {
  try {
    const m = JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as Partial<ProbeMessage> & { t?: unknown }
    if (m.t === 'done') return { t: 'done' }
    if ((m.t === 'ping' || m.t === 'pong') && Number.isInteger((m as { id?: unknown }).id) && typeof (m as { ts?: unknown }).ts === 'number') {
      return m as ProbeMessage
    }
  } catch {
    // Not ours: ignore.
  }
  return undefined
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
