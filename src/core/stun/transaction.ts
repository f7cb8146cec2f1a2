import { createSocket, type Socket } from 'node:dgram'
import type { NatEndpoint, NatFamily } from '../../shared/nat'
import { endpoint, formatEndpoint } from './address'
import { buildBindingRequest, parseStunPacket, type ParsedStun } from '../werift/stunCodec'
import type { RtoEstimator } from './rto'
import { codec } from '../werift/stunLoad'

const { methods } = codec

export interface StunReply {
  message: ParsedStun
  from: NatEndpoint
  /** From the first transmission to the reply. */
  ms: number
  attempts: number
  /** The datagram as received (the server checks decode TURN attributes from it). */
  bytes: Buffer
}

export type TransactionOutcome =
  | { result: 'reply'; reply: StunReply }
  | { result: 'timeout'; ms: number; attempts: number }
  | { result: 'error'; ms: number; attempts: number; detail: string; /** The socket's own words, when a send failed. */ cause?: string }

/** A request built elsewhere (the server checks' TURN messages): sent as is, matched by its transaction id. */
export interface PreparedRequest {
  txid: string
  method: number
  bytes: Buffer
}

export interface RequestOptions {
  changeIp?: boolean
  changePort?: boolean
  /** Send this instead of a Binding request built from the CHANGE-REQUEST flags. */
  message?: PreparedRequest
  /** Shared per server path: replies feed it, retransmissions read it. */
  rto: RtoEstimator
  /** Give up this long after the first transmission, unless stopped earlier. */
  giveUpMs: number
  /** Upper bound on transmissions (RFC 5389's Rc is 7). */
  maxTransmissions?: number
  /** Resend at this fixed interval instead of doubling the RTO (NAT tests that must not read one lost packet as silence). */
  intervalMs?: number
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
 * The one UDP STUN client: NAT discovery and the server checks both run their transactions here, with
 * one retransmission rule (RFC 5389 section 7.2.1: the RTO follows the measured round trip and
 * doubles per retransmission, at most Rc = 7 transmissions, Karn's rule for samples).
 *
 * A UDP socket of our own that runs STUN transactions and matches replies by transaction id,
 * whatever address they come from (the CHANGE-REQUEST tests expect replies from elsewhere). werift's
 * StunProtocol drops those, which is why this exists.
 */
export class StunSocket {
  readonly ignored: IgnoredPacket[] = []
  private readonly pending = new Map<string, { method: number; reply: (message: ParsedStun, from: NatEndpoint, bytes: Buffer) => void; abort: () => void }>()
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
    const built = options.message ?? { ...buildBindingRequest({ changeIp: options.changeIp, changePort: options.changePort }), method: methods.BINDING }
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
      const failed = (err: Error) => finish({ result: 'error', ms: elapsed(), attempts, detail: `send to ${formatEndpoint(target)} failed: ${err.message}`, cause: err.message })
      try {
        this.socket.send(built.bytes, target.port, target.address, (err) => err && failed(err))
      } catch (err) {
        // dgram throws synchronously on a bad port or address: a result, not a crash.
        return failed(err as Error)
      }
      if (attempts < maxTransmissions) {
        // RFC 5389: the wait doubles after every transmission; the base follows the measured RTT.
        const wait = options.intervalMs ?? options.rto.rtoMs * 2 ** (attempts - 1)
        timer = setTimeout(transmit, wait)
      }
    }

    this.pending.set(txid, {
      method: built.method,
      reply: (message, from, bytes) => {
        if (!accept(from)) {
          this.ignore(from, `reply for ${txid.slice(0, 8)} from unexpected source ${formatEndpoint(from)}`)
          return
        }
        const ms = elapsed()
        // Karn: only an unambiguous round trip (a single transmission) is a sample.
        if (attempts === 1) options.rto.sample(ms)
        finish({ result: 'reply', reply: { message, from, ms, attempts, bytes } })
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
    const handler = this.pending.get(message.txid)
    // Binding is what NAT discovery speaks; a response of another method is taken only by the
    // transaction that sent that method (the server checks' TURN requests).
    const expected = handler && (message.kind === 'success' || message.kind === 'error') ? handler.method : methods.BINDING
    if (message.method !== expected) return this.ignore(from, `unexpected STUN method 0x${message.method.toString(16)}`)
    if (message.kind === 'request') {
      for (const listener of this.requestListeners) listener(message, from)
      return
    }
    if (message.kind === 'indication') return this.ignore(from, 'Binding indication')
    if (handler) return handler.reply(message, from, data)
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
