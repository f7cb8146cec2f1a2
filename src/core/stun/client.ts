import { connect as tcpConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { decodeStunMessage } from '../werift/stunCodec'
import { explainTlsError } from '../servercheck/tlsErrors'
import type { StunMessage } from '../werift/stunLoad'
import { DEFAULT_RTO, RtoEstimator, type RtoOptions } from './rto'
import { StunSocket } from './transaction'

export type Transport = 'udp' | 'tcp' | 'tls'

export class StunClientError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'unreachable' | 'tls' | 'closed'
  ) {
    super(message)
  }
}

/** One request/response exchange at a time with a STUN/TURN server, over UDP (with retransmits), TCP or TLS. */
export interface StunClient {
  request(message: StunMessage): Promise<{ response: StunMessage; rttMs: number }>
  close(): void
}

/**
 * UDP runs on StunSocket, the same transactions and retransmission rule as NAT discovery. The budget is
 * the server checks' own: a first RTO of 250 ms, four transmissions (at 0, 250, 750 and 1750 ms) and
 * an answer by 2750 ms. Over TCP and TLS nothing is retransmitted (RFC 5389 section 7.2.2).
 */
const UDP_RTO: RtoOptions = { ...DEFAULT_RTO, initialMs: 250 }
const UDP_TRANSMISSIONS = 4
const UDP_GIVE_UP_MS = 2750
const STREAM_TIMEOUT_MS = 3000

const round2 = (ms: number): number => Math.round(ms * 100) / 100

export async function openStunClient(transport: Transport, host: string, port: number, servername?: string): Promise<StunClient> {
  return transport === 'udp' ? openUdp(host, port) : openStream(transport, host, port, servername)
}

async function openUdp(host: string, port: number): Promise<StunClient> {
  const socket = await StunSocket.open(host.includes(':') ? 6 : 4)
  // One estimator per server, as RFC 5389 keeps one per destination: later requests use the measured RTT.
  const rto = new RtoEstimator(UDP_RTO)
  return {
    async request(message) {
      const prepared = { txid: message.transactionIdHex, method: message.messageMethod, bytes: message.bytes }
      // Any source may answer (an anycast or multi-homed server): the transaction id is the match.
      const outcome = await socket.request({ address: host, port }, { message: prepared, rto, giveUpMs: UDP_GIVE_UP_MS, maxTransmissions: UDP_TRANSMISSIONS, acceptFrom: () => true }).done
      if (outcome.result === 'reply') {
        const response = decodeStunMessage(outcome.reply.bytes)
        if (response) return { response, rttMs: round2(outcome.reply.ms) }
        throw new StunClientError('undecodable answer over UDP', 'unreachable')
      }
      if (outcome.result === 'timeout') throw new StunClientError(`no answer over UDP after ${outcome.attempts} tries (${Math.round(outcome.ms)} ms)`, 'timeout')
      throw new StunClientError(`cannot send to ${host}:${port}: ${outcome.cause ?? outcome.detail}`, outcome.detail === 'socket closed' ? 'closed' : 'unreachable')
    },
    close: () => void socket.close()
  }
}

/**
 * SNI carries host names only (RFC 6066): for an IP literal, Node warns (DEP0123) and the name means
 * nothing, so none is set; the certificate is then checked against the address.
 */
export function tlsServername(name: string): { servername?: string } {
  const bare = name.replace(/^\[|\]$/g, '')
  return isIP(bare) ? {} : { servername: bare }
}

async function openStream(transport: 'tcp' | 'tls', host: string, port: number, servername?: string): Promise<StunClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s =
      transport === 'tls'
        ? tlsConnect({ host, port, ...tlsServername(servername ?? host), timeout: STREAM_TIMEOUT_MS })
        : tcpConnect({ host, port, timeout: STREAM_TIMEOUT_MS })
    const ready = transport === 'tls' ? 'secureConnect' : 'connect'
    s.once(ready, () => {
      s.setTimeout(0)
      resolve(s)
    })
    s.once('timeout', () => {
      s.destroy()
      reject(new StunClientError(`${transport.toUpperCase()} connect to ${host}:${port} timed out`, 'timeout'))
    })
    s.once('error', (err: NodeJS.ErrnoException) => {
      const tls = transport === 'tls' && (err.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS|self.signed|handshake/i.test(err.message))
      reject(new StunClientError(tls ? explainTlsError(err, host, port) : `${transport.toUpperCase()} connect to ${host}:${port} failed: ${err.code ?? err.message}`, tls ? 'tls' : 'unreachable'))
    })
  })
  let buffer = Buffer.alloc(0)
  const waiting = new Map<string, (m: StunMessage) => void>()
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    // STUN over a stream: each message carries its own length (RFC 5389 section 7.2.2).
    while (buffer.length >= 20) {
      const total = 20 + buffer.readUInt16BE(2)
      if (buffer.length < total) break
      const m = decodeStunMessage(buffer.subarray(0, total))
      buffer = buffer.subarray(total)
      if (m) waiting.get(m.transactionIdHex)?.(m)
    }
    if (buffer.length > 65_536) socket.destroy()
  })
  socket.on('error', () => {})
  return {
    request(message) {
      const started = performance.now()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(message.transactionIdHex)
          reject(new StunClientError(`no answer over ${transport.toUpperCase()} within ${STREAM_TIMEOUT_MS} ms`, 'timeout'))
        }, STREAM_TIMEOUT_MS)
        socket.once('close', () => reject(new StunClientError('the server closed the connection', 'closed')))
        waiting.set(message.transactionIdHex, (response) => {
          clearTimeout(timer)
          waiting.delete(message.transactionIdHex)
          resolve({ response, rttMs: Math.round((performance.now() - started) * 100) / 100 })
        })
        socket.write(message.bytes)
      })
    },
    close: () => socket.destroy()
  }
}
