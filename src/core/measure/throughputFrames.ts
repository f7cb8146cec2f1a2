// The throughput test's frames and types (the protocol is described in throughput.ts).

export const MAGIC = 0xb7
export const HEADER_BYTES = 8
/** Frame types (byte 1). */
export const Frame = { Request: 1, Start: 2, Data: 3, End: 4, Result: 5 } as const
export type Frame = (typeof Frame)[keyof typeof Frame]

/** The parts of werift's RTCDataChannel (or a test double) the measurement needs. */
export interface ThroughputChannel {
  readonly readyState: string
  readonly bufferedAmount: number
  bufferedAmountLowThreshold: number
  send(data: Buffer | string): void
  readonly onMessage: { subscribe(fn: (data: Buffer | string) => void): { unSubscribe(): void } }
  readonly bufferedAmountLow: { subscribe(fn: () => void): { unSubscribe(): void } }
  readonly stateChanged: { subscribe(fn: (state: string) => void): { unSubscribe(): void } }
  /** werift's transport, read (if present) to fit messages to whole SCTP packets. */
  readonly sctp?: unknown
}

export type Direction = 'send' | 'receive' | 'both'

export interface ThroughputOptions {
  /** 'send': we send, the other side counts; 'receive': the other way; 'both': both at once. */
  direction: Direction
  /** Stop after this many payload bytes per direction (default 32 MiB). */
  bytes?: number
  /** The measurement window per direction, seconds (default 5): the receiver counts what arrives in it. */
  seconds?: number
  /**
   * Whole data channel message size in bytes, header included. Default: the largest multiple of the
   * SCTP payload per packet up to 64 KiB (werift's default max-message-size), so that no packet
   * of a message is a short tail; 64 KiB when the payload size is not known.
   */
  messageSize?: number
  /** Warm-up before the window, seconds (like `iperf3 --omit`; default 0): what arrives in it is not counted. */
  omitSeconds?: number
  /** Stop queueing while bufferedAmount is above this (default 1 MiB)... */
  highWaterMark?: number
  /** ...and resume when it falls to this (default 256 KiB). */
  lowWaterMark?: number
  /** Give up this long after the sending time is over (default 10 s). */
  graceMs?: number
}

export interface DirectionResult {
  /** Payload bytes the receiver counted. */
  bytes: number
  /** Payload bytes the sender handed to the channel: equal to bytes when the byte limit ended the window, more when time did (the rest was still queued or in flight). */
  sentBytes: number
  /** The window: milliseconds from the arrival of START to its end (time up, or END), on the receiver's clock. */
  ms: number
  /** What closed the window: the time limit, or the byte limit (END arrived first). */
  limitedBy: 'time' | 'bytes'
  /** Megabytes (10^6 bytes) per second. */
  MBps: number
  /** Megabits per second. */
  mbps: number
  messageSize: number
}

export interface ThroughputResult {
  send?: DirectionResult
  receive?: DirectionResult
}

export class ThroughputError extends Error {
  override name = 'ThroughputError'
}

export function isThroughputFrame(data: Buffer | string): data is Buffer {
  return typeof data !== 'string' && data.length >= HEADER_BYTES && data[0] === MAGIC
}

export function header(type: Frame, id: number, extra = 0): Buffer {
  const b = Buffer.alloc(HEADER_BYTES + extra)
  b[0] = MAGIC
  b[1] = type
  b.writeUInt32BE(id, 4)
  return b
}

export function result(bytes: number, sentBytes: number, ms: number, messageSize: number, limitedBy: 'time' | 'bytes' = 'bytes'): DirectionResult {
  const perSecond = ms > 0 ? bytes / (ms / 1000) : 0
  return {
    bytes,
    sentBytes,
    ms: Math.round(ms * 10) / 10,
    limitedBy,
    MBps: Math.round((perSecond / 1e6) * 100) / 100,
    mbps: Math.round(((perSecond * 8) / 1e6) * 10) / 10,
    messageSize
  }
}
