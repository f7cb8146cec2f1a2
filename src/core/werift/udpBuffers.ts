import type { RTCPeerConnection } from 'werift'

/** Socket buffer size peerlens asks for: room for a full SCTP window (werift advertises 1 MiB) and then some. */
export const UDP_BUFFER_BYTES = 4 * 1024 * 1024

interface SocketLike {
  setRecvBufferSize(size: number): void
  setSendBufferSize(size: number): void
  getRecvBufferSize(): number
}

interface ProtocolLike {
  transport?: { socket?: unknown }
  turn?: { transport?: { socket?: unknown } }
}

function isUdpSocket(s: unknown): s is SocketLike {
  return typeof (s as SocketLike | undefined)?.setRecvBufferSize === 'function'
}

/**
 * Enlarges the kernel buffers of the UDP sockets werift opened for a connection's ICE candidates
 * (host and server-reflexive sockets, and the socket toward a TURN server). werift keeps the OS
 * default (about 208 KiB receive buffer on Linux), which a burst of one SCTP window of large packets
 * overflows: those drops cost retransmissions and halve the congestion window. Linux caps the size
 * at net.core.rmem_max / wmem_max. Call once the candidates are gathered (e.g. when the data
 * channel opens). Returns the receive buffer sizes the kernel granted, one per socket.
 */
export function enlargeUdpBuffers(pc: RTCPeerConnection, bytes = UDP_BUFFER_BYTES): number[] {
  const granted: number[] = []
  const seen = new Set<unknown>()
  for (const transport of pc.iceTransports) {
    const protocols = (transport.connection as unknown as { protocols?: ProtocolLike[] }).protocols ?? []
    for (const p of protocols) {
      for (const socket of [p.transport?.socket, p.turn?.transport?.socket]) {
        if (!isUdpSocket(socket) || seen.has(socket)) continue
        seen.add(socket)
        try {
          socket.setRecvBufferSize(bytes)
          socket.setSendBufferSize(bytes)
          granted.push(socket.getRecvBufferSize())
        } catch {
          // A closed socket: nothing to enlarge.
        }
      }
    }
  }
  return granted
}
