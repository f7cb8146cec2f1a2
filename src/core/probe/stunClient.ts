import { createSocket } from 'node:dgram'
import { connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { Message, parseMessage } from 'werift'

export type Transport = 'udp' | 'tcp' | 'tls'

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'unreachable' | 'tls' | 'closed'
  ) {
    super(message)
  }
}

/** One request/response exchange at a time with a STUN/TURN server, over UDP (with retransmits), TCP or TLS. */
export interface StunClient {
  request(message: Message): Promise<{ response: Message; rttMs: number }>
  close(): void
}

const UDP_RTO_MS = [250, 500, 1000, 1000]
const STREAM_TIMEOUT_MS = 3000

export async function openStunClient(transport: Transport, host: string, port: number, servername?: string): Promise<StunClient> {
  return transport === 'udp' ? openUdp(host, port) : openStream(transport, host, port, servername)
}

function openUdp(host: string, port: number): StunClient {
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' })
  socket.on('error', () => {})
  const waiting = new Map<string, (m: Message) => void>()
  socket.on('message', (data) => {
    const m = safeParse(data)
    if (m) waiting.get(m.transactionIdHex)?.(m)
  })
  return {
    request(message) {
      const started = performance.now()
      return new Promise((resolve, reject) => {
        let i = 0
        let timer: NodeJS.Timeout
        const send = (): void => {
          if (i >= UDP_RTO_MS.length) {
            waiting.delete(message.transactionIdHex)
            reject(new ProbeError(`no answer over UDP after ${UDP_RTO_MS.length} tries (${Math.round(performance.now() - started)} ms)`, 'timeout'))
            return
          }
          socket.send(message.bytes, port, host, (err) => {
            if (err) {
              clearTimeout(timer)
              waiting.delete(message.transactionIdHex)
              reject(new ProbeError(`cannot send to ${host}:${port}: ${err.message}`, 'unreachable'))
            }
          })
          timer = setTimeout(send, UDP_RTO_MS[i++])
        }
        waiting.set(message.transactionIdHex, (response) => {
          clearTimeout(timer)
          waiting.delete(message.transactionIdHex)
          resolve({ response, rttMs: Math.round((performance.now() - started) * 100) / 100 })
        })
        send()
      })
    },
    close: () => socket.close()
  }
}

async function openStream(transport: 'tcp' | 'tls', host: string, port: number, servername?: string): Promise<StunClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s =
      transport === 'tls'
        ? tlsConnect({ host, port, servername: servername ?? (host.match(/^[\d.:]+$/) ? undefined : host), timeout: STREAM_TIMEOUT_MS })
        : tcpConnect({ host, port, timeout: STREAM_TIMEOUT_MS })
    const ready = transport === 'tls' ? 'secureConnect' : 'connect'
    s.once(ready, () => {
      s.setTimeout(0)
      resolve(s)
    })
    s.once('timeout', () => {
      s.destroy()
      reject(new ProbeError(`${transport.toUpperCase()} connect to ${host}:${port} timed out`, 'timeout'))
    })
    s.once('error', (err: NodeJS.ErrnoException) => {
      const tls = transport === 'tls' && (err.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS|self.signed|handshake/i.test(err.message))
      reject(new ProbeError(tls ? `TLS failed: ${err.message}` : `${transport.toUpperCase()} connect to ${host}:${port} failed: ${err.code ?? err.message}`, tls ? 'tls' : 'unreachable'))
    })
  })
  let buffer = Buffer.alloc(0)
  const waiting = new Map<string, (m: Message) => void>()
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    // STUN over a stream: each message carries its own length (RFC 5389 section 7.2.2).
    while (buffer.length >= 20) {
      const total = 20 + buffer.readUInt16BE(2)
      if (buffer.length < total) break
      const m = safeParse(buffer.subarray(0, total))
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
          reject(new ProbeError(`no answer over ${transport.toUpperCase()} within ${STREAM_TIMEOUT_MS} ms`, 'timeout'))
        }, STREAM_TIMEOUT_MS)
        socket.once('close', () => reject(new ProbeError('the server closed the connection', 'closed')))
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

function safeParse(data: Buffer): Message | undefined {
  try {
    return parseMessage(data)
  } catch {
    return undefined
  }
}
