// PCP (RFC 6887) messages: pure encoders and decoders for ANNOUNCE and MAP. A decoder never throws.
import { isIPv4 } from 'node:net'
import type { Decoded } from './natpmp'

export const PCP_VERSION = 2
export const PCP_OPCODE = { announce: 0, map: 1 } as const

/** RFC 6887 section 7.4. */
export const PCP_RESULT: Record<number, string> = {
  0: 'success',
  1: 'unsupported version',
  2: 'not authorized',
  3: 'malformed request',
  4: 'unsupported opcode',
  5: 'unsupported option',
  6: 'malformed option',
  7: 'network failure',
  8: 'no resources',
  9: 'unsupported protocol',
  10: 'user exceeded quota',
  11: 'cannot provide the external address',
  12: 'address mismatch (a NAT between us and the gateway rewrote our address)',
  13: 'excessive remote peers'
}

/** An IPv4 (as IPv4-mapped IPv6) or IPv6 address in 16 bytes. */
export function encodeAddress(address: string): Buffer {
  const b = Buffer.alloc(16)
  if (isIPv4(address)) {
    b[10] = 0xff
    b[11] = 0xff
    address.split('.').forEach((o, i) => (b[12 + i] = Number(o)))
    return b
  }
  const [head, tail = ''] = address.replace(/%.*$/, '').split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2))
  return b
}

export function decodeAddress(b: Buffer): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16))
  // The URL parser writes IPv6 in its canonical, compressed form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1)
}

function requestHeader(opcode: number, lifetimeS: number, clientAddress: string): Buffer {
  const b = Buffer.alloc(24)
  b[0] = PCP_VERSION
  b[1] = opcode & 0x7f
  b.writeUInt32BE(lifetimeS, 4)
  encodeAddress(clientAddress).copy(b, 8)
  return b
}

/** ANNOUNCE (lifetime 0): a harmless "are you there?". */
export function encodeAnnounce(clientAddress: string): Buffer {
  return requestHeader(PCP_OPCODE.announce, 0, clientAddress)
}

export interface PcpMapRequest {
  nonce: Buffer
  protocol: 'udp' | 'tcp'
  internalPort: number
  suggestedExternalPort: number
  /** 0 deletes the mapping. */
  lifetimeS: number
  clientAddress: string
}

export function encodeMap(r: PcpMapRequest): Buffer {
  const body = Buffer.alloc(36)
  r.nonce.copy(body, 0, 0, 12)
  body[12] = r.protocol === 'udp' ? 17 : 6
  body.writeUInt16BE(r.internalPort, 16)
  body.writeUInt16BE(r.suggestedExternalPort, 18)
  // Suggested external address: all zeros in IPv4-mapped form ("any IPv4").
  encodeAddress(isIPv4(r.clientAddress) ? '0.0.0.0' : '::').copy(body, 20)
  return Buffer.concat([requestHeader(PCP_OPCODE.map, r.lifetimeS, r.clientAddress), body])
}

export interface PcpResponse {
  opcode: number
  resultCode: number
  lifetimeS: number
  epoch: number
  map?: { nonce: Buffer; protocol: number; internalPort: number; externalPort: number; externalAddress: string }
}

/** Any PCP response. A NAT-PMP-only gateway answers a PCP request with NAT-PMP's "unsupported version": said so. */
export function decodeResponse(b: Buffer, opcode: number): Decoded<PcpResponse> {
  if (b.length >= 4 && b[0] === 0) {
    const code = b.readUInt16BE(2)
    return { ok: false, resultCode: code, reason: `the gateway answered in NAT-PMP (version 0, result ${code}): it speaks NAT-PMP, not PCP` }
  }
  if (b.length < 24) return { ok: false, reason: `PCP answer too short (${b.length} bytes)` }
  if (b[0] !== PCP_VERSION) return { ok: false, reason: `not a PCP answer (version ${b[0]})` }
  if ((b[1]! & 0x80) === 0) return { ok: false, reason: 'a PCP request, not an answer' }
  if ((b[1]! & 0x7f) !== opcode) return { ok: false, reason: `PCP answer to another request (opcode ${b[1]! & 0x7f}, expected ${opcode})` }
  if (b.length % 4 !== 0 || b.length > 1100) return { ok: false, reason: `malformed PCP answer (${b.length} bytes)` }
  const resultCode = b[3]!
  const value: PcpResponse = { opcode, resultCode, lifetimeS: b.readUInt32BE(4), epoch: b.readUInt32BE(8) }
  if (resultCode !== 0) return { ok: false, resultCode, reason: `PCP refused: ${PCP_RESULT[resultCode] ?? `result code ${resultCode}`}` }
  if (opcode === PCP_OPCODE.map) {
    if (b.length < 60) return { ok: false, reason: `PCP MAP answer too short (${b.length} bytes)` }
    value.map = {
      nonce: Buffer.from(b.subarray(24, 36)),
      protocol: b[36]!,
      internalPort: b.readUInt16BE(40),
      externalPort: b.readUInt16BE(42),
      externalAddress: decodeAddress(b.subarray(44, 60))
    }
  }
  return { ok: true, value }
}
