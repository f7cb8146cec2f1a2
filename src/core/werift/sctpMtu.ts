import type { RTCPeerConnection } from 'werift'

/** werift's default SCTP packet size: fits a 1280-byte IPv6 path with DTLS, UDP and TURN overheads. */
export const DEFAULT_SCTP_MTU = 1191
/** The largest SCTP packet that still fits one DTLS record (2^14 bytes of plaintext, RFC 6347/9147). */
export const MAX_SCTP_MTU = 16_000
const SCTP_HEADERS = 12 + 16

interface SctpMtuInternals {
  mtu: number
  maxPayloadSize: number
}

/**
 * Changes the SCTP packet size of a live peer connection (werift only lets `sctp.mtu` be set when
 * the connection is created). The size is the sender's choice alone: the other side accepts any
 * size, and messages already queued keep theirs. Use a large size only where datagrams of that
 * size pass unfragmented or fragmentation is harmless (loopback: 64 KiB MTU); on an internet path
 * keep the default. Returns the previous size, or undefined when the connection has no SCTP yet.
 */
export function setSctpMtu(pc: RTCPeerConnection, mtu: number): number | undefined {
  if (!Number.isInteger(mtu) || mtu < 256 || mtu > MAX_SCTP_MTU) throw new RangeError(`SCTP MTU must be an integer in 256..${MAX_SCTP_MTU}`)
  const sctp = pc.sctpTransport?.sctp as unknown as SctpMtuInternals | undefined
  if (!sctp) return undefined
  const previous = sctp.mtu
  sctp.mtu = mtu
  const budget = mtu - SCTP_HEADERS
  sctp.maxPayloadSize = budget - (budget % 4)
  return previous
}

/** The SCTP packet size a connection currently uses, if it has SCTP. */
export function sctpMtuOf(pc: RTCPeerConnection): number | undefined {
  return (pc.sctpTransport?.sctp as unknown as SctpMtuInternals | undefined)?.mtu
}
