import { createSocket, type Socket } from 'node:dgram'
import type { Endpoint, Role } from '../../shared/session'
import type { PortHalf } from '../../shared/protocol/portTest'

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
