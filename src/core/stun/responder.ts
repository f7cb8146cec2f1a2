import { createSocket, type Socket } from 'node:dgram'
import { bindingRequestId, buildBindingResponse } from '../werift/stunCodec'

/**
 * A minimal STUN Binding responder (RFC 5389). The host runs one at its signaling port number
 * so that both sides have a STUN server without any packet leaving for the internet.
 */
export class StunResponder {
  private socket: Socket | undefined
  answered = 0
  ignored = 0

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false })
    this.socket = socket
    socket.on('message', (data, from) => this.answer(data, from.address, from.port))
    socket.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    return socket.address().port
  }

  private answer(data: Buffer, address: string, port: number): void {
    const transactionId = bindingRequestId(data)
    if (!transactionId) {
      this.ignored++
      return
    }
    const family = address.includes(':') ? address.replace(/^::ffff:/, '') : address
    this.socket?.send(buildBindingResponse(transactionId, { address: family, port }, 'peerlens'), port, address)
    this.answered++
  }

  close(): Promise<void> {
    const socket = this.socket
    this.socket = undefined
    if (!socket) return Promise.resolve()
    return new Promise((resolve) => socket.close(() => resolve()))
  }
}
