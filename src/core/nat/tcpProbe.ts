import { connect } from 'node:net'
import type { NatEndpoint } from '../../shared/nat'

export type TcpProbeOutcome = { result: 'connected' | 'refused' | 'unreachable'; ms: number; detail?: string }

/**
 * One TCP connect to the STUN server's port (coturn and most STUN servers listen on TCP too).
 * When UDP stays silent, this tells "UDP is blocked" (TCP connects) from "the server is down"
 * (refused) and "nothing gets there" (timeout or no route). Nothing is sent after the handshake.
 */
export function tcpProbe(target: NatEndpoint, timeoutMs: number): { done: Promise<TcpProbeOutcome>; cancel: () => void } {
  const started = performance.now()
  const socket = connect({ host: target.address, port: target.port })
  let settled = false
  let resolveDone!: (o: TcpProbeOutcome) => void
  const done = new Promise<TcpProbeOutcome>((resolve) => (resolveDone = resolve))
  const finish = (result: TcpProbeOutcome['result'], detail?: string) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    socket.destroy()
    resolveDone({ result, ms: performance.now() - started, ...(detail ? { detail } : {}) })
  }
  const timer = setTimeout(() => finish('unreachable', `no TCP answer within ${timeoutMs} ms`), timeoutMs)
  socket.once('connect', () => finish('connected'))
  socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? 'refused' : 'unreachable', err.code ?? err.message))
  return { done, cancel: () => finish('unreachable', 'cancelled') }
}
