// NAT-PMP (RFC 6886) messages: pure encoders and decoders. A decoder never throws: it returns what the
// packet says, or why it is not a NAT-PMP answer to our request, in one line.

export const NATPMP_PORT = 5351

/** RFC 6886 section 3.5. */
export const NATPMP_RESULT: Record<number, string> = {
  0: 'success',
  1: 'unsupported version',
  2: 'not authorized (the gateway has NAT-PMP switched off or refuses this client)',
  3: 'network failure (the gateway has no external address yet)',
  4: 'out of resources',
  5: 'unsupported opcode'
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string; resultCode?: number }

/** Opcode 0: what is your external address? */
export function encodeExternalAddressRequest(): Buffer {
  return Buffer.from([0, 0])
}

/** Opcode 1 (UDP) or 2 (TCP): map internalPort, lifetime 0 deletes the mapping. */
export function encodeMapRequest(protocol: 'udp' | 'tcp', internalPort: number, suggestedExternalPort: number, lifetimeS: number): Buffer {
  const b = Buffer.alloc(12)
  b[0] = 0
  b[1] = protocol === 'udp' ? 1 : 2
  b.writeUInt16BE(internalPort, 4)
  b.writeUInt16BE(suggestedExternalPort, 6)
  b.writeUInt32BE(lifetimeS, 8)
  return b
}

function header(b: Buffer, opcode: number, minLength: number): Decoded<{ epoch: number }> {
  if (b.length < 4) return { ok: false, reason: `NAT-PMP answer too short (${b.length} bytes)` }
  if (b[0] !== 0) return { ok: false, reason: `not a NAT-PMP answer (version ${b[0]})` }
  if (b[1] !== 128 + opcode) return { ok: false, reason: `NAT-PMP answer to another request (opcode ${b[1]}, expected ${128 + opcode})` }
  const code = b.readUInt16BE(2)
  if (code !== 0) return { ok: false, resultCode: code, reason: `NAT-PMP refused: ${NATPMP_RESULT[code] ?? `result code ${code}`}` }
  if (b.length < minLength) return { ok: false, reason: `NAT-PMP answer too short (${b.length} bytes, need ${minLength})` }
  return { ok: true, value: { epoch: b.readUInt32BE(4) } }
}

export function decodeExternalAddressResponse(b: Buffer): Decoded<{ epoch: number; address: string }> {
  const h = header(b, 0, 12)
  if (!h.ok) return h
  return { ok: true, value: { epoch: h.value.epoch, address: `${b[8]}.${b[9]}.${b[10]}.${b[11]}` } }
}

export function decodeMapResponse(b: Buffer, protocol: 'udp' | 'tcp'): Decoded<{ epoch: number; internalPort: number; externalPort: number; lifetimeS: number }> {
  const h = header(b, protocol === 'udp' ? 1 : 2, 16)
  if (!h.ok) return h
  return { ok: true, value: { epoch: h.value.epoch, internalPort: b.readUInt16BE(8), externalPort: b.readUInt16BE(10), lifetimeS: b.readUInt32BE(12) } }
}
