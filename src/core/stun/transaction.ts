import { createSocket, type Socket } from 'node:dgram'
import type { NatEndpoint, NatFamily } from '../../shared/nat'
import { endpoint, formatEndpoint } from './address'
import { buildBindingRequest, parseStunPacket, type ParsedStun } from './codec'
import type { RtoEstimator } from './rto'
import { codec } from './werift'

const { methods } = codec

export interface StunReply {
  message: ParsedStun
  from: NatEndpoint
  /** From the first transmission to the reply. */
  ms: number
  attempts: number
}

export type TransactionOutcome =
  | { result: 'reply'; reply: StunReply }
  | { result: 'timeout'; ms: number; attempts: number }
  | { result: 'error'; ms: number; attempts: number; detail: string }

export interface RequestOptions {
  changeIp?: boolean
  changePort?: boolean
  /** Shared per server path: replies feed it, retransmissions read it. */
  rto: RtoEstimator
  /** Give up this long after the first transmission, unless stopped earlier. */
  giveUpMs: number
  /** Upper bound on transmissions (RFC 5389's Rc is 7). */
  maxTransmissions?: number
  /** Replies from other sources are ignored (and recorded as such). Default: the target only. */
  acceptFrom?: (from: NatEndpoint) => boolean
}

export interface Transaction {
  txid: string
  done: Promise<TransactionOutcome>
  /** Ends the transaction as a timeout, after any datagrams already queued have been read. */
  stop(): void
}

export interface IgnoredPacket {
  from: NatEndpoint
  reason: string
}

/** Kept bounded: a flood of junk must not grow memory. */
const MAX_IGNORED = 50
const MAX_TRANSMISSIONS = 7

/**
 * A UDP socket of our own that runs STUN Binding transactions and matches replies by transaction id,
 * whatever address they come from (the CHANGE-REQUEST tests expect replies from elsewhere). werift's
 * StunProtocol drops those, which is why this exists.
 */
export class StunSocket {
  readonly ignored: IgnoredPacket[] = []
  private readonly pending = new Map<string, { reply: (message: ParsedStun, from: NatEndpoint) => void; abort: () => void }>()
  private readonly finished = new Set<string>()
  private readonly watched = new Map<string, (message: ParsedStun, from: NatEndpoint) => void>()
  private readonly requestListeners = new Set<(message: ParsedStun, from: NatEndpoint) => void>()
  private closed = false

  private constructor(
    private readonly socket: Socket,
    readonly family: NatFamily,
    readonly port: number
  ) {
    socket.on('message', (data, rinfo) => this.receive(data, endpoint(rinfo.address, rinfo.port)))
    // Errors on an unconnected UDP socket are per-send and reported there; never let one crash us.
    socket.on('error', () => {})
  }

  static async open(family: NatFamily, bindAddress?: string): Promise<StunSocket> {
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' })
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, bindAddress ?? (family === 6 ? '::' : '0.0.0.0'), () => {
        socket.off('error', reject)
        resolve()
      })
    })
    return new StunSocket(socket, family, socket.address().port)
  }

  /**
   * Calls `listener` for a response with this transaction id that reaches this socket although another
   * socket sent the request (RESPONSE-PORT redirects it here). Returns the function that stops watching.
   */
  watch(txid: string, listener: (message: ParsedStun, from: NatEndpoint) => void): () => void {
    this.watched.set(txid, listener)
    return () => this.watched.delete(txid)
  }

  /** Called for Binding requests that reach this socket (the hairpin test sends itself one). */
  onRequest(listener: (message: ParsedStun, from: NatEndpoint) => void): () => void {
    this.requestListeners.add(listener)
    return () => this.requestListeners.delete(listener)
  }

  /** Sends one raw datagram (the hairpin probe). Resolves with an error message, or undefined. */
  sendRaw(bytes: Buffer, to: NatEndpoint): Promise<string | undefined> {
    if (this.closed) return Promise.resolve('socket closed')
    return new Promise((resolve) => {
      try {
        this.socket.send(bytes, to.port, to.address, (err) => resolve(err ? `${err.message}` : undefined))
      } catch (err) {
        resolve((err as Error).message)
      }
    })
  }

  request(target: NatEndpoint, options: RequestOptions): Transaction {
    const built = buildBindingRequest({ changeIp: options.changeIp, changePort: options.changePort })
    const txid = built.txid
    const started = performance.now()
    const maxTransmissions = Math.min(options.maxTransmissions ?? MAX_TRANSMISSIONS, MAX_TRANSMISSIONS)
    const accept = options.acceptFrom ?? ((from: NatEndpoint) => from.port === target.port && from.address === endpoint(target.address, 0).address)
    let attempts = 0
    let timer: NodeJS.Timeout | undefined
    let settled = false
    let resolveDone!: (o: TransactionOutcome) => void
    const done = new Promise<TransactionOutcome>((resolve) => (resolveDone = resolve))

    const finish = (outcome: TransactionOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(giveUp)
      this.pending.delete(txid)
      this.finished.add(txid)
      resolveDone(outcome)
    }
    const elapsed = () => performance.now() - started

    const transmit = () => {
      if (settled) return
      if (this.closed) return finish({ result: 'error', ms: elapsed(), attempts, detail: 'socket closed' })
      attempts++
      const failed = (err: Error) => finish({ result: 'error', ms: elapsed(), attempts, detail: `send to ${formatEndpoint(target)} failed: ${err.message}` })
      try {
        this.socket.send(built.bytes, target.port, target.address, (err) => err && failed(err))
      } catch (err) {
        // dgram throws synchronously on a bad port or address: a result, not a crash.
        return failed(err as Error)
      }
      if (attempts < maxTransmissions) {
        // RFC 5389: the wait doubles after every transmission; the base follows the measured RTT.
        const wait = options.rto.rtoMs * 2 ** (attempts - 1)
        timer = setTimeout(transmit, wait)
      }
    }

    this.pending.set(txid, {
      reply: (message, from) => {
        if (!accept(from)) {
          this.ignore(from, `reply for ${txid.slice(0, 8)} from unexpected source ${formatEndpoint(from)}`)
          return
        }
        const ms = elapsed()
        // Karn: only an unambiguous round trip (a single transmission) is a sample.
        if (attempts === 1) options.rto.sample(ms)
        finish({ result: 'reply', reply: { message, from, ms, attempts } })
      },
      abort: () => finish({ result: 'error', ms: elapsed(), attempts, detail: 'socket closed' })
    })
    const stop = () => {
      // Timers run before the poll phase: read what is already queued before calling it a timeout.
      setImmediate(() => finish({ result: 'timeout', ms: elapsed(), attempts }))
    }
    const giveUp = setTimeout(stop, options.giveUpMs)
    transmit()
    return { txid, done, stop }
  }

  private receive(data: Buffer, from: NatEndpoint): void {
    const parsed = parseStunPacket(data)
    if (!parsed.ok) return this.ignore(from, parsed.reason)
    const message = parsed.message
    if (message.method !== methods.BINDING) return this.ignore(from, `unexpected STUN method 0x${message.method.toString(16)}`)
    if (message.kind === 'request') {
      for (const listener of this.requestListeners) listener(message, from)
      return
    }
    if (message.kind === 'indication') return this.ignore(from, 'Binding indication')
    const handler = this.pending.get(message.txid)
    if (handler) return handler.reply(message, from)
    const watcher = this.watched.get(message.txid)
    if (watcher) return watcher(message, from)
    this.ignore(from, this.finished.has(message.txid) ? `late reply for ${message.txid.slice(0, 8)} (already timed out)` : 'unknown transaction id')
  }

  private ignore(from: NatEndpoint, reason: string): void {
    if (this.ignored.length < MAX_IGNORED) this.ignored.push({ from, reason })
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.closed = true
    for (const entry of [...this.pending.values()]) entry.abort()
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve())
      } catch {
        resolve()
      }
    })
  }
}
