import { SignalError } from './errors'

/** Bytes of stored messages, server-wide: past `max`, nothing more is stored (503). */
export class Budget {
  used = 0
  constructor(readonly max: number) {}

  take(bytes: number): void {
    if (this.used + bytes > this.max) {
      throw new SignalError(503, 'server full: too many undelivered messages on this server; try again later', { 'retry-after': '5' })
    }
    this.used += bytes
  }

  /** Takes bytes even past the budget: for the server's own small notices. */
  force(bytes: number): void {
    this.used += bytes
  }

  give(bytes: number): void {
    this.used -= bytes
  }
}

/** Bookkeeping per stored message (its object, seq, ids), counted on top of its text. */
const MESSAGE_OVERHEAD = 128

/**
 * What a stored message costs in memory: V8 keeps a string in one byte per character when every
 * character fits in Latin-1, else two; plus the message's own overhead.
 */
export function storedCost(raw: string, type: string): number {
  // eslint-disable-next-line no-control-regex
  const wide = /[^\u0000-\u00ff]/.test(raw)
  return (wide ? 2 : 1) * raw.length + type.length + MESSAGE_OVERHEAD
}
