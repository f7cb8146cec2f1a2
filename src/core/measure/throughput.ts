import { randomInt } from 'node:crypto'
import { Frame, HEADER_BYTES, ThroughputError, header, isThroughputFrame, result, type DirectionResult, type ThroughputChannel, type ThroughputOptions, type ThroughputResult } from './throughputFrames'

/**
 * Data channel throughput, measured over a live data channel (peerlens's "peerlens" channel),
 * beside the JSON probe messages already on it: every frame here is a binary message whose first
 * byte is MAGIC (never '{'), and the probe messages are strings, so neither side mistakes one for
 * the other.
 *
 * Frames (big-endian; byte 0 = MAGIC, byte 1 = type, bytes 4..7 = test id):
 *   REQUEST  asks the other side to send to us          f64 maxBytes, u32 maxMs, u32 messageSize, u32 omitMs
 *   START    the sender begins a test                   f64 maxBytes, u32 maxMs, u32 omitMs (warm-up, not counted)
 *   DATA     payload                                    (the rest of the message)
 *   END      the sender stopped                         f64 bytes sent
 *   RESULT   the receiver's count and timing            f64 bytes received, f64 ms
 *
 * The receiver does the timing over a window, like `iperf3 -t`: from the arrival of START until
 * maxMs later, or until END arrives first (the sender reached maxBytes; the channel is ordered and
 * reliable, so END arrives after the last DATA). It reports the payload that arrived in the window
 * (RESULT) the moment the window closes, and the sender stops when RESULT arrives: a slow path gives
 * a smaller figure, never a missing one. Each side of a channel runs one ThroughputEndpoint: it
 * answers the other side's tests and runs its own.
 */

export { MAGIC, HEADER_BYTES, ThroughputError, isThroughputFrame, result } from './throughputFrames'
export type { ThroughputChannel, Direction, ThroughputOptions, DirectionResult, ThroughputResult } from './throughputFrames'

const MAX_DEFAULT_MESSAGE = 64 * 1024
const DEFAULTS = {
  bytes: 32 * 1024 * 1024,
  seconds: 5,
  omitSeconds: 0,
  messageSize: MAX_DEFAULT_MESSAGE,
  highWaterMark: 1024 * 1024,
  lowWaterMark: 256 * 1024,
  graceMs: 10_000
}
const MAX_MESSAGE = 256 * 1024
/** How long past its window a sender goes on when no RESULT comes (a lost or late one). */
const SENDER_SLACK_MS = 2_000

interface Incoming {
  startedAt: number
  /** Counting starts here (START plus the warm-up); before it, bytes go to `early`. */
  countFrom: number
  early: number
  bytes: number
  timer?: NodeJS.Timeout
  /** The largest DATA message seen, header included. */
  messageSize: number
}

/** A test this side started: a send waits for the other side's RESULT, a receive for END. */
interface OwnTest {
  kind: 'send' | 'receive'
  messageSize: number
  sentBytes?: number
  resolve: (r: DirectionResult) => void
  reject: (e: Error) => void
}

/**
 * One side's throughput machinery on a data channel. Attach one on each side once the channel is
 * open; either side may then call measure(). Detach with close().
 */
export class ThroughputEndpoint {
  private readonly incoming = new Map<number, Incoming>()
  private readonly own = new Map<number, OwnTest>()
  private readonly subscriptions: Array<{ unSubscribe(): void }> = []
  private readonly sending = new Map<number, { stop(): void; done(): void }>()
  private closed = false
  private lastActivity = -Infinity

  constructor(private readonly dc: ThroughputChannel) {
    this.subscriptions.push(dc.onMessage.subscribe((data) => this.onMessage(data)))
    this.subscriptions.push(
      dc.stateChanged.subscribe((state) => {
        if (state === 'closing' || state === 'closed') this.close(new ThroughputError('the data channel closed during the throughput test'))
      })
    )
  }

  /** Runs one test; resolves with the receiver-measured numbers per direction. */
  async measure(options: ThroughputOptions): Promise<ThroughputResult> {
    const o: Required<ThroughputOptions> = { ...DEFAULTS, messageSize: defaultMessageSize(this.dc), ...dropUndefined(options), direction: options.direction }
    if (!['send', 'receive', 'both'].includes(o.direction)) throw new ThroughputError(`unknown direction ${String(o.direction)}`)
    if (!(o.bytes > 0) || !(o.seconds > 0) || o.seconds > 600) throw new ThroughputError('bytes must be positive and seconds in (0, 600]')
    if (!Number.isInteger(o.messageSize) || o.messageSize <= HEADER_BYTES || o.messageSize > MAX_MESSAGE) {
      throw new ThroughputError(`messageSize must be an integer in ${HEADER_BYTES + 1}..${MAX_MESSAGE}`)
    }
    if (!(o.lowWaterMark >= 0) || !(o.highWaterMark > o.lowWaterMark)) throw new ThroughputError('need 0 <= lowWaterMark < highWaterMark')
    if (this.closed || this.dc.readyState !== 'open') throw new ThroughputError('the data channel is not open')
    if (!(o.omitSeconds >= 0) || o.omitSeconds > 10) throw new ThroughputError('omitSeconds must be in [0, 10]')
    const deadlineMs = (o.omitSeconds + o.seconds) * 1000 + o.graceMs
    const ids: number[] = []
    const runs: Array<Promise<[keyof ThroughputResult, DirectionResult]>> = []
    if (o.direction === 'send' || o.direction === 'both') {
      const id = this.newId()
      ids.push(id)
      runs.push(this.sendTest(id, o).then((r) => ['send', r]))
    }
    if (o.direction === 'receive' || o.direction === 'both') {
      const id = this.newId()
      ids.push(id)
      runs.push(this.receiveTest(id, o).then((r) => ['receive', r]))
    }
    const timer = setTimeout(() => {
      for (const id of ids) this.own.get(id)?.reject(new ThroughputError(`no result within ${Math.round(deadlineMs / 1000)} s`))
    }, deadlineMs)
    try {
      const done = await Promise.all(runs)
      return Object.fromEntries(done) as ThroughputResult
    } finally {
      clearTimeout(timer)
      for (const id of ids) this.own.delete(id)
    }
  }

  /** Milliseconds since this endpoint last sent or received a test frame, or ran a test (Infinity: never). */
  get idleMs(): number {
    if (this.sending.size || this.incoming.size || this.own.size) return 0
    return performance.now() - this.lastActivity
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Stops every test in progress (they reject) and detaches from the channel. */
  close(reason: Error = new ThroughputError('throughput endpoint closed')): void {
    if (this.closed) return
    this.closed = true
    for (const s of this.subscriptions.splice(0)) s.unSubscribe()
    for (const s of this.sending.values()) s.stop()
    this.sending.clear()
    for (const t of this.own.values()) t.reject(reason)
    this.own.clear()
    for (const t of this.incoming.values()) clearTimeout(t.timer)
    this.incoming.clear()
  }

  /** The receiver's window for test `id` is over: report what arrived in it. */
  private closeWindow(id: number, limitedBy: 'time' | 'bytes', sentBytes: number | null): void {
    const test = this.incoming.get(id)
    if (!test) return
    clearTimeout(test.timer)
    this.incoming.delete(id)
    const now = performance.now()
    // A byte limit reached within the warm-up: the whole transfer is the figure.
    const warm = now >= test.countFrom
    const ms = warm ? now - test.countFrom : now - test.startedAt
    if (!warm) test.bytes += test.early
    const reply = header(Frame.Result, id, 17)
    reply.writeDoubleBE(test.bytes, 8)
    reply.writeDoubleBE(ms, 16)
    reply[24] = limitedBy === 'time' ? 1 : 0
    if (this.dc.readyState === 'open') this.dc.send(reply)
    const own = this.own.get(id)
    if (own?.kind === 'receive') own.resolve(result(test.bytes, sentBytes ?? test.bytes, ms, test.messageSize, limitedBy))
  }

  private newId(): number {
    let id = randomInt(1, 2 ** 31)
    while (this.own.has(id) || this.incoming.has(id)) id = randomInt(1, 2 ** 31)
    return id
  }

  private sendTest(id: number, o: Required<ThroughputOptions>): Promise<DirectionResult> {
    return new Promise<DirectionResult>((resolve, reject) => {
      let pumped: Promise<unknown> = Promise.resolve()
      // Resolve once our sending has stopped too (the water marks are restored, the count is final).
      const test: OwnTest = { kind: 'send', messageSize: o.messageSize, resolve: (r) => void pumped.then(() => resolve({ ...r, sentBytes: test.sentBytes ?? r.sentBytes })), reject }
      this.own.set(id, test)
      test.sentBytes = 0
      pumped = this.pump(id, o, (n) => (test.sentBytes = n)).catch((err: Error) => reject(err))
    })
  }

  private receiveTest(id: number, o: Required<ThroughputOptions>): Promise<DirectionResult> {
    return new Promise<DirectionResult>((resolve, reject) => {
      this.own.set(id, { kind: 'receive', messageSize: o.messageSize, resolve, reject })
      const req = header(Frame.Request, id, 20)
      req.writeDoubleBE(o.bytes, 8)
      req.writeUInt32BE(Math.round(o.seconds * 1000), 16)
      req.writeUInt32BE(o.messageSize, 20)
      req.writeUInt32BE(Math.round(o.omitSeconds * 1000), 24)
      this.send(req)
    })
  }

  private send(frame: Buffer): void {
    if (this.dc.readyState !== 'open') throw new ThroughputError('the data channel is not open')
    this.dc.send(frame)
  }

  /**
   * Sends START, DATA until a limit, then END; bounded by bytes and by time. Keeps bufferedAmount
   * between the water marks (werift queues without limit otherwise). Returns the payload bytes sent.
   */
  private async pump(id: number, o: Required<ThroughputOptions>, progress: (sent: number) => void = () => {}): Promise<number> {
    freshStart(this.dc)
    const start = header(Frame.Start, id, 16)
    start.writeDoubleBE(o.bytes, 8)
    start.writeUInt32BE(Math.round(o.seconds * 1000), 16)
    start.writeUInt32BE(Math.round(o.omitSeconds * 1000), 20)
    this.send(start)
    const full = o.messageSize - HEADER_BYTES
    const frame = header(Frame.Data, id, full)
    // The receiver closes the window and its RESULT stops us; this bound only covers a lost RESULT.
    const until = performance.now() + (o.omitSeconds + o.seconds) * 1000 + SENDER_SLACK_MS
    let sent = 0
    let stopped = false
    let done = false
    const control = { stop: () => (stopped = true), done: () => (done = true) }
    this.sending.set(id, control)
    const savedThreshold = this.dc.bufferedAmountLowThreshold
    this.dc.bufferedAmountLowThreshold = o.lowWaterMark
    try {
      while (!stopped && !done && sent < o.bytes && performance.now() < until) {
        while (!stopped && !done && sent < o.bytes && this.dc.bufferedAmount < o.highWaterMark) {
          const n = Math.min(full, o.bytes - sent)
          this.send(n === full ? frame : frame.subarray(0, HEADER_BYTES + n))
          sent += n
        }
        progress(sent)
        if (stopped || done || sent >= o.bytes) break
        await this.drained(o.lowWaterMark, until, () => stopped || done)
      }
    } finally {
      this.lastActivity = performance.now()
      this.sending.delete(id)
      this.dc.bufferedAmountLowThreshold = savedThreshold
    }
    progress(sent)
    if (stopped) throw new ThroughputError('throughput test stopped')
    // The window is closed: the receiver no longer counts, END only tells it we are done.
    const end = header(Frame.End, id, 8)
    end.writeDoubleBE(sent, 8)
    this.send(end)
    return sent
  }

  /** Resolves when bufferedAmount is at or below `low` (event, with a poll as a safety net), or at `until`. */
  private drained(low: number, until: number, cancelled: () => boolean = () => false): Promise<void> {
    return new Promise((resolve) => {
      let poll: NodeJS.Timeout | undefined
      const finish = (): void => {
        sub.unSubscribe()
        clearTimeout(poll)
        resolve()
      }
      const sub = this.dc.bufferedAmountLow.subscribe(finish)
      const check = (): void => {
        if (this.closed || cancelled() || this.dc.bufferedAmount <= low || performance.now() >= until) finish()
        else poll = setTimeout(check, 20)
      }
      poll = setTimeout(check, 20)
    })
  }

  private onMessage(data: Buffer | string): void {
    if (!isThroughputFrame(data)) return
    this.lastActivity = performance.now()
    const type = data[1] as Frame
    const id = data.readUInt32BE(4)
    const now = performance.now()
    switch (type) {
      case Frame.Data: {
        const test = this.incoming.get(id)
        if (!test) return
        if (now >= test.countFrom) test.bytes += data.length - HEADER_BYTES
        else test.early += data.length - HEADER_BYTES
        if (data.length > test.messageSize) test.messageSize = data.length
        return
      }
      case Frame.Start: {
        if (this.incoming.has(id)) return
        const maxMs = data.length >= HEADER_BYTES + 12 ? data.readUInt32BE(16) : 0
        const omitMs = data.length >= HEADER_BYTES + 16 ? Math.min(data.readUInt32BE(20), 10_000) : 0
        const test: Incoming = { startedAt: now, countFrom: now + omitMs, early: 0, bytes: 0, messageSize: 0 }
        if (maxMs > 0) test.timer = setTimeout(() => this.closeWindow(id, 'time', null), Math.min(maxMs, 600_000) + omitMs)
        this.incoming.set(id, test)
        return
      }
      case Frame.End:
        if (data.length < HEADER_BYTES + 8) return
        this.closeWindow(id, 'bytes', data.readDoubleBE(8))
        return
      case Frame.Result: {
        // The window closed: stop sending (whichever side started the test).
        this.sending.get(id)?.done()
        const own = this.own.get(id)
        if (own?.kind !== 'send' || data.length < HEADER_BYTES + 16) return
        const bytes = data.readDoubleBE(8)
        const limitedBy = data.length >= HEADER_BYTES + 17 && data[24] === 1 ? 'time' : 'bytes'
        own.resolve(result(bytes, own.sentBytes ?? bytes, data.readDoubleBE(16), own.messageSize, limitedBy))
        return
      }
      case Frame.Request: {
        if (data.length < HEADER_BYTES + 16 || this.closed) return
        const bytes = data.readDoubleBE(8)
        const maxMs = data.readUInt32BE(16)
        const messageSize = data.readUInt32BE(20)
        if (!(bytes > 0) || !(maxMs > 0) || messageSize <= HEADER_BYTES || messageSize > MAX_MESSAGE) return
        const omitSeconds = data.length >= HEADER_BYTES + 20 ? Math.min(data.readUInt32BE(24), 10_000) / 1000 : 0
        const o: Required<ThroughputOptions> = { ...DEFAULTS, direction: 'send', bytes, seconds: Math.min(maxMs, 600_000) / 1000, messageSize, omitSeconds }
        this.pump(id, o).catch(() => {})
        return
      }
      default:
    }
  }
}

const endpoints = new WeakMap<ThroughputChannel, ThroughputEndpoint>()

/**
 * The channel's endpoint, created on first use: one per channel and side, so that a REQUEST is
 * answered once. Call it on both sides when the channel opens; either side may then measure.
 */
export function attachThroughput(dc: ThroughputChannel): ThroughputEndpoint {
  const known = endpoints.get(dc)
  if (known && !known.isClosed) return known
  const endpoint = new ThroughputEndpoint(dc)
  endpoints.set(dc, endpoint)
  return endpoint
}

/**
 * Measures throughput over `dc`, whose other side must have called attachThroughput (peerlens
 * does when its channel opens). Uses, and leaves attached, this side's endpoint of the channel.
 */
export function measureThroughput(dc: ThroughputChannel, options: ThroughputOptions): Promise<ThroughputResult> {
  return attachThroughput(dc).measure(options)
}

/** The largest multiple of the channel's SCTP payload size (werift: `dc.sctp.sctp.maxPayloadSize`) up to 64 KiB. */
export function defaultMessageSize(dc: Pick<ThroughputChannel, 'sctp'>): number {
  const payload = (dc.sctp as { sctp?: { maxPayloadSize?: unknown } } | undefined)?.sctp?.maxPayloadSize
  if (typeof payload !== 'number' || !Number.isInteger(payload) || payload <= HEADER_BYTES || payload > MAX_DEFAULT_MESSAGE) return MAX_DEFAULT_MESSAGE
  return Math.floor(MAX_DEFAULT_MESSAGE / payload) * payload
}

/**
 * Each test starts like a new connection (iperf3 opens one): slow start up to the peer's window, not
 * congestion avoidance from a threshold an unrelated early loss left behind (a loss during the
 * connection set-up leaves werift at 4 packets, and growing from there by one packet per round trip
 * takes most of a short window).
 */
function freshStart(dc: ThroughputChannel): void {
  const a = (dc.sctp as { sctp?: { ssthresh?: unknown; peerAdvertisedRwnd?: unknown; fastRecoveryExit?: unknown } } | undefined)?.sctp
  if (!a || typeof a.ssthresh !== 'number' || typeof a.peerAdvertisedRwnd !== 'number' || a.fastRecoveryExit !== undefined) return
  a.ssthresh = Math.max(a.ssthresh, a.peerAdvertisedRwnd)
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
