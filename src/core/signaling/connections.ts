import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export interface ConnectionLimits {
  /** Open sockets from one address (0: no cap). */
  perAddress: number
  /**
   * Behind a trusted proxy every socket comes from the proxy: then only sockets that have not sent
   * a request yet count against the cap (those are the ones a slow client can hold for nothing).
   */
  onlyBeforeFirstRequest: boolean
}

const counted = new WeakSet<Socket>()

/**
 * Caps the sockets one address holds open, counting from the moment a socket connects, before it
 * has sent anything: the rate limit counts requests, so sockets that never send one escaped it.
 * A socket past the cap gets a 429 in the protocol's JSON shape and is closed.
 */
export function capConnections(http: Server, limits: ConnectionLimits, log: (line: string) => void): void {
  const open = new Map<string, number>()
  const release = (socket: Socket, address: string): void => {
    if (!counted.delete(socket)) return
    const left = (open.get(address) ?? 1) - 1
    if (left > 0) open.set(address, left)
    else open.delete(address)
  }
  http.on('connection', (socket: Socket) => {
    if (limits.perAddress <= 0) return
    const address = socket.remoteAddress ?? 'unknown'
    const now = open.get(address) ?? 0
    if (now >= limits.perAddress) {
      log(`- - 429 too many connections`)
      refuse(socket)
      return
    }
    open.set(address, now + 1)
    counted.add(socket)
    socket.once('close', () => release(socket, address))
  })
  if (limits.onlyBeforeFirstRequest) {
    http.on('request', (req) => release(req.socket, req.socket.remoteAddress ?? 'unknown'))
  }
}

/** Whether the socket was refused by the cap (its requests, if any, are not answered). */
export function isRefused(socket: Socket): boolean {
  return refused.has(socket)
}

const refused = new WeakSet<Socket>()

function refuse(socket: Socket): void {
  refused.add(socket)
  const text = JSON.stringify({ error: 'too many connections from your address' })
  socket.end(
    `HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    () => socket.destroy()
  )
  // A client that never reads would keep the half-closed socket.
  setTimeout(() => socket.destroy(), 1000).unref()
}
