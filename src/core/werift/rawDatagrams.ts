import type { RTCPeerConnection } from 'werift'

/**
 * Plain datagrams on a connection's selected ICE pair, beside DTLS: the paced UDP probe trains of
 * the path measurement (src/core/measure/udpTrain.ts) travel here, so they take exactly the path the
 * session chose (directly, or through the TURN relay) without the data channel's SCTP in the way.
 *
 * werift hands every non-STUN datagram of the ICE connection to `connection.onData`; its DTLS
 * transport keeps only bytes 20-63 and SRTP only 128-191 (RFC 7983), so a datagram whose first byte
 * is outside those ranges reaches only us. `connection.send` writes to the nominated pair (through
 * the TURN allocation for a relay candidate) and respects ICE consent (RFC 7675).
 */
export interface RawDatagrams {
  /** Sends one datagram on the selected pair; resolves once handed to the socket. */
  send(data: Buffer): Promise<void>
  /** Every datagram that arrives on the connection (DTLS and media too: filter by the first byte). */
  subscribe(listener: (data: Buffer) => void): () => void
}

interface IceConnectionLike {
  send(data: Buffer): Promise<void>
  onData: { subscribe(cb: (data: Buffer) => void): { unSubscribe(): void } }
  nominated?: unknown
}

/** The raw datagram edge of a connected peer connection, or undefined before ICE has a selected pair. */
export function rawDatagrams(pc: RTCPeerConnection): RawDatagrams | undefined {
  const connection = (pc.iceTransports[0] as unknown as { connection?: IceConnectionLike } | undefined)?.connection
  if (!connection || typeof connection.send !== 'function' || !connection.onData || !connection.nominated) return undefined
  return {
    send: (data) => connection.send(data),
    subscribe: (listener) => {
      const sub = connection.onData.subscribe((data) => {
        try {
          listener(data)
        } catch {
          // A listener's fault must not reach werift's receive loop (it would log and carry on anyway).
        }
      })
      return () => sub.unSubscribe()
    }
  }
}
