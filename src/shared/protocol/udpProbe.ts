// Paced UDP probe datagrams on the selected ICE pair (feature "udp-probes"), beside DTLS: an echo
// train for RTT, loss and jitter, and rate steps for the path's UDP capacity. Plain code, no Node:
// bytes are Uint8Array. The control messages that start and report a train travel on the reliable
// "peerlens" data channel; these datagrams only carry sequence numbers and send times.
//
// Layout (big-endian):
//   0      0xF5: outside STUN (0-3), DTLS (20-63), TURN channels (64-79) and RTP/RTCP (128-191)
//          (RFC 7983), so werift's own receivers ignore it
//   1      kind: 1 echo request, 2 echo reply, 3 rate data
//   2-9    token: 8 random bytes the two sides agreed for this train; anything else is dropped
//   10-13  sequence number (uint32)
//   14-21  sender's clock when sent, ms (float64; only differences are used)
//   22-29  echo reply only: the responder's clock when it echoed, ms (float64)
//   ...    zero padding up to the packet size

export const UDP_PROBE_MAGIC = 0xf5
export const UDP_PROBE_HEADER_BYTES = 30
/** Smallest and largest datagram peerlens sends or accepts (the largest stays under a 1280-byte IPv6 MTU with TURN's overhead). */
export const UDP_PROBE_MIN_BYTES = UDP_PROBE_HEADER_BYTES
export const UDP_PROBE_MAX_BYTES = 1200
export const UDP_TOKEN_BYTES = 8

export const UdpProbeKind = { echoRequest: 1, echoReply: 2, rateData: 3 } as const
export type UdpProbeKind = (typeof UdpProbeKind)[keyof typeof UdpProbeKind]

export interface UdpProbe {
  kind: UdpProbeKind
  token: Uint8Array
  seq: number
  sentMs: number
  /** Echo replies: the responder's clock when it echoed. */
  echoedMs?: number
}

/** One probe datagram of `size` bytes (clamped to the allowed range). */
export function encodeUdpProbe(p: UdpProbe, size = UDP_PROBE_MIN_BYTES): Uint8Array {
  const n = Math.min(UDP_PROBE_MAX_BYTES, Math.max(UDP_PROBE_MIN_BYTES, Math.floor(size)))
  const out = new Uint8Array(n)
  const view = new DataView(out.buffer)
  out[0] = UDP_PROBE_MAGIC
  out[1] = p.kind
  out.set(p.token.subarray(0, UDP_TOKEN_BYTES), 2)
  view.setUint32(10, p.seq >>> 0)
  view.setFloat64(14, p.sentMs)
  if (p.kind === UdpProbeKind.echoReply) view.setFloat64(22, p.echoedMs ?? 0)
  return out
}

/** Reads a probe datagram defensively; undefined for anything else (wrong magic, kind, size or numbers). */
export function decodeUdpProbe(data: Uint8Array): UdpProbe | undefined {
  if (data.length < UDP_PROBE_MIN_BYTES || data.length > UDP_PROBE_MAX_BYTES || data[0] !== UDP_PROBE_MAGIC) return undefined
  const kind = data[1]
  if (kind !== UdpProbeKind.echoRequest && kind !== UdpProbeKind.echoReply && kind !== UdpProbeKind.rateData) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const sentMs = view.getFloat64(14)
  if (!Number.isFinite(sentMs)) return undefined
  const probe: UdpProbe = { kind, token: data.slice(2, 2 + UDP_TOKEN_BYTES), seq: view.getUint32(10), sentMs }
  if (kind === UdpProbeKind.echoReply) {
    const echoedMs = view.getFloat64(22)
    if (!Number.isFinite(echoedMs)) return undefined
    probe.echoedMs = echoedMs
  }
  return probe
}

/** True when the datagram's token is `token` (checked before decoding the rest: cheap on a flood). */
export function hasToken(data: Uint8Array, token: Uint8Array): boolean {
  if (data.length < UDP_PROBE_MIN_BYTES || data[0] !== UDP_PROBE_MAGIC) return false
  for (let i = 0; i < UDP_TOKEN_BYTES; i++) if (data[2 + i] !== token[i]) return false
  return true
}
