import { createSocket, type Socket } from 'node:dgram'
import type { Endpoint, Role } from '../../shared/session'
import type { UdpPortTest } from '../../shared/report'

/** One side's view of one port after the window: what it sent, what it got from the other side. */
export interface PortHalf {
  port: number
  /** The port was taken on this side (EADDRINUSE): something else owns it, e.g. a running WireGuard. */
  bound: boolean
  sent: number
  received: number
  /** Where this side sent (the other side's addresses at that port). */
  targets: Endpoint[]
  /** Where the packets that arrived came from. */
  from: Endpoint[]
}

const PACKETS = 10
const SPACING_MS = 100
const MAGIC = 'peerlens-port-test'

/**
 * Binds the port, then from `startAt` (this side's wall clock) sends a packet every 100 ms to each
 * target while counting the other side's packets; both sides do it at the same moment, so the
 * NATs on the way see outbound traffic on that port before the other side's packets arrive.
 */
export async function runPortWindow(o: { port: number; targets: Endpoint[]; nonce: string; role: Role; startAt: number; listenMs?: number }): Promise<PortHalf> {
  const half: PortHalf = { port: o.port, bound: false, sent: 0, received: 0, targets: o.targets, from: [] }
  let socket: Socket
  try {
    socket = await bind(o.port)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    half.bound = true
    // Still send, from any port: the other direction can be tested, this one cannot.
    socket = await bind(0)
  }
  const peer = o.role === 'host' ? 'join' : 'host'
  socket.on('message', (data, rinfo) => {
    const [magic, nonce, from] = data.toString('utf8').split(' ')
    if (magic !== MAGIC || nonce !== o.nonce || from !== peer) return
    half.received++
    if (!half.from.some((f) => f.address === rinfo.address && f.port === rinfo.port)) half.from.push({ address: rinfo.address, port: rinfo.port })
  })
  await new Promise((r) => setTimeout(r, Math.max(0, o.startAt - Date.now())))
  for (let i = 0; i < PACKETS; i++) {
    const payload = Buffer.from(`${MAGIC} ${o.nonce} ${o.role} ${i}`)
    for (const t of o.targets) {
      socket.send(payload, t.port, t.address, () => {})
      half.sent++
    }
    await new Promise((r) => setTimeout(r, SPACING_MS))
  }
  await new Promise((r) => setTimeout(r, o.listenMs ?? 500))
  await new Promise<void>((r) => socket.close(() => r()))
  return half
}

function bind(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', reuseAddr: false })
    s.once('error', reject)
    s.bind(port, '0.0.0.0', () => {
      s.off('error', reject)
      s.on('error', () => {})
      resolve(s)
    })
  })
}

/** Both halves into the report's entry: reachable means packets arrived in both directions. */
export function combinePort(host: PortHalf | undefined, join: PortHalf | undefined, port: number): UdpPortTest {
  const boundOn: Role[] = []
  if (host?.bound) boundOn.push('host')
  if (join?.bound) boundOn.push('join')
  const hostToJoin = { target: host?.targets[0] ?? null, sent: host?.sent ?? 0, received: join?.received ?? 0 }
  const joinToHost = { target: join?.targets[0] ?? null, sent: join?.sent ?? 0, received: host?.received ?? 0 }
  const reachable = hostToJoin.received > 0 && joinToHost.received > 0
  let reason: string
  if (!host || !join) reason = `the ${!host ? 'host' : 'joiner'} did not report its half of the test`
  else if (reachable) reason = `UDP port ${port} passes both ways (${joinToHost.received} and ${hostToJoin.received} packets arrived)`
  else {
    const parts: string[] = []
    if (boundOn.length) parts.push(`port ${port} is already in use on the ${boundOn.map((r) => (r === 'host' ? 'host' : 'joiner')).join(' and the ')} (another program holds it, such as a running WireGuard), so packets to it went to that program`)
    if (hostToJoin.received === 0) parts.push(`nothing from the host reached the joiner on ${port}`)
    if (joinToHost.received === 0) parts.push(`nothing from the joiner reached the host on ${port}`)
    reason = parts.join('; ')
  }
  return { port, reachable, hostToJoin, joinToHost, boundOn, reason }
}
