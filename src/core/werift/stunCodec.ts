import { randomBytes } from 'node:crypto'
import type { NatEndpoint } from '../../shared/nat'
import { endpoint } from '../stun/address'
import { codec, type StunMessage } from './stunLoad'

const { COOKIE, HEADER_LENGTH, classes, isComprehensionRequiredAttribute, methods, parseMessage } = codec

/** Largest STUN packet we look at. Anything bigger is not a Binding response we asked for. */
export const MAX_STUN_PACKET = 2048

/** RFC 5780 section 7.2: CHANGE-REQUEST flags. */
const CHANGE_IP = 0x04
const CHANGE_PORT = 0x02
/** RFC 5780 section 7.5. */
const RESPONSE_PORT = 0x0027

export interface BindingRequestOptions {
  changeIp?: boolean
  changePort?: boolean
  /** RFC 5780 RESPONSE-PORT: ask the server to answer to this port of our address (mapping lifetime). */
  responsePort?: number
  /** 12 bytes; random when omitted. */
  transactionId?: Buffer
}

export interface BuiltRequest {
  transactionId: Buffer
  /** Hex of the transaction id: the key replies are matched on. */
  txid: string
  bytes: Buffer
}

/** A Binding request, with CHANGE-REQUEST when asked for and a FINGERPRINT (RFC 5389 section 15.5). */
export function buildBindingRequest(options: BindingRequestOptions = {}): BuiltRequest {
  const transactionId = options.transactionId ?? randomBytes(12)
  const message = new codec.Message(methods.BINDING, classes.REQUEST, transactionId)
  if (options.changeIp || options.changePort) {
    message.setAttribute('CHANGE-REQUEST', (options.changeIp ? CHANGE_IP : 0) | (options.changePort ? CHANGE_PORT : 0))
  }
  if (options.responsePort !== undefined) {
    // werift has no RESPONSE-PORT: a raw attribute (port, then two bytes of padding). werift writes raw
    // attributes after the named ones, so no FINGERPRINT here: it must come last.
    const value = Buffer.alloc(4)
    value.writeUInt16BE(options.responsePort & 0xffff, 0)
    message.appendRawAttribute(RESPONSE_PORT, value)
  } else {
    message.addFingerprint()
  }
  return { transactionId, txid: transactionId.toString('hex'), bytes: message.bytes }
}

export type StunKind = 'request' | 'indication' | 'success' | 'error'

export interface ParsedStun {
  kind: StunKind
  method: number
  txid: string
  /** XOR-MAPPED-ADDRESS, else the RFC 3489 MAPPED-ADDRESS. */
  mapped?: NatEndpoint
  /** OTHER-ADDRESS, else the RFC 3489 CHANGED-ADDRESS. */
  otherAddress?: NatEndpoint
  responseOrigin?: NatEndpoint
  error?: { code: number; reason: string }
  changeRequest?: { ip: boolean; port: boolean }
  /** RFC 5780 RESPONSE-PORT (in requests). */
  responsePort?: number
}

export type ParseResult = { ok: true; message: ParsedStun } | { ok: false; reason: string }

const KIND_BY_CLASS: Record<number, StunKind> = {
  [classes.REQUEST]: 'request',
  [classes.INDICATION]: 'indication',
  [classes.RESPONSE]: 'success',
  [classes.ERROR]: 'error'
}

/**
 * Parses one datagram. Never throws: hostile or broken input gives `{ ok: false, reason }`.
 * The header is checked here before werift's codec sees it, so the reason says what was wrong.
 */
export function parseStunPacket(data: Buffer): ParseResult {
  try {
    return parseChecked(data)
  } catch (err) {
    return { ok: false, reason: `undecodable: ${err instanceof Error ? err.message : String(err)}` }
  }
}

function parseChecked(data: Buffer): ParseResult {
  if (!Buffer.isBuffer(data)) return { ok: false, reason: 'not a buffer' }
  if (data.length < HEADER_LENGTH) return { ok: false, reason: `truncated: ${data.length} bytes, header needs ${HEADER_LENGTH}` }
  if (data.length > MAX_STUN_PACKET) return { ok: false, reason: `oversized: ${data.length} bytes` }
  if ((data[0]! & 0xc0) !== 0) return { ok: false, reason: 'not STUN: first two bits set' }
  if (data.readUInt32BE(4) !== COOKIE) return { ok: false, reason: 'wrong magic cookie' }
  const length = data.readUInt16BE(2)
  if (length % 4 !== 0) return { ok: false, reason: `bad length ${length}: not a multiple of 4` }
  if (HEADER_LENGTH + length !== data.length) {
    return { ok: false, reason: `length field says ${length} bytes of attributes, packet has ${data.length - HEADER_LENGTH}` }
  }
  const message = parseMessage(data)
  if (!message) return { ok: false, reason: 'malformed attributes (bad attribute length, value or FINGERPRINT)' }
  const kind = KIND_BY_CLASS[message.messageClass]
  if (!kind) return { ok: false, reason: `unknown message class ${message.messageClass}` }
  const txid = message.transactionId.toString('hex')
  // RESPONSE-PORT is RFC 5780's, which werift's table lacks: known here.
  const unknownRequired = message.rawAttributes.map((a) => a.type).filter((t) => t !== RESPONSE_PORT && isComprehensionRequiredAttribute(t))
  // RFC 5389 section 7.3.3/7.3.4: a response with an unknown comprehension-required attribute is discarded.
  if (unknownRequired.length && (kind === 'success' || kind === 'error' || kind === 'request')) {
    const list = unknownRequired.map((t) => `0x${t.toString(16).padStart(4, '0')}`).join(', ')
    return { ok: false, reason: `unknown comprehension-required attribute ${list}` }
  }
  const parsed: ParsedStun = { kind, method: message.messageMethod, txid }
  const mapped = addressAttribute(message, 'XOR-MAPPED-ADDRESS') ?? addressAttribute(message, 'MAPPED-ADDRESS')
  if (mapped) parsed.mapped = mapped
  const other = addressAttribute(message, 'OTHER-ADDRESS') ?? addressAttribute(message, 'CHANGED-ADDRESS')
  if (other) parsed.otherAddress = other
  const origin = addressAttribute(message, 'RESPONSE-ORIGIN')
  if (origin) parsed.responseOrigin = origin
  const error = message.getAttributeValue('ERROR-CODE') as unknown
  if (Array.isArray(error) && typeof error[0] === 'number') {
    parsed.error = { code: error[0], reason: typeof error[1] === 'string' ? error[1].slice(0, 200) : '' }
  }
  const change = message.getAttributeValue('CHANGE-REQUEST') as unknown
  if (typeof change === 'number') parsed.changeRequest = { ip: (change & CHANGE_IP) !== 0, port: (change & CHANGE_PORT) !== 0 }
  const responsePort = message.rawAttributes.find((a) => a.type === RESPONSE_PORT)
  if (responsePort && responsePort.value.length === 4) parsed.responsePort = responsePort.value.readUInt16BE(0)
  return { ok: true, message: parsed }
}

function addressAttribute(message: StunMessage, name: 'XOR-MAPPED-ADDRESS' | 'MAPPED-ADDRESS' | 'OTHER-ADDRESS' | 'CHANGED-ADDRESS' | 'RESPONSE-ORIGIN'): NatEndpoint | undefined {
  const value = message.getAttributeValue(name) as unknown
  if (!Array.isArray(value) || typeof value[0] !== 'string' || typeof value[1] !== 'number') return undefined
  return endpoint(value[0], value[1])
}

/** werift's own decoding of one STUN message (lenient: what werift accepts), undefined when it cannot. */
export function decodeStunMessage(data: Buffer): StunMessage | undefined {
  try {
    return parseMessage(data)
  } catch {
    return undefined
  }
}

/** The transaction id of a Binding request as werift decodes it, undefined for anything else. */
export function bindingRequestId(data: Buffer): Buffer | undefined {
  const request = decodeStunMessage(data)
  if (!request || request.messageMethod !== methods.BINDING || request.messageClass !== classes.REQUEST) return undefined
  return request.transactionId
}

/** A Binding request's transaction id and its CHANGE-REQUEST flags (RFC 5780), undefined for anything else. */
export function bindingRequest(data: Buffer): { transactionId: Buffer; change: { ip: boolean; port: boolean } } | undefined {
  const request = decodeStunMessage(data)
  if (!request || request.messageMethod !== methods.BINDING || request.messageClass !== classes.REQUEST) return undefined
  const flags = request.getAttributeValue('CHANGE-REQUEST') as unknown
  const n = typeof flags === 'number' ? flags : 0
  return { transactionId: request.transactionId, change: { ip: (n & CHANGE_IP) !== 0, port: (n & CHANGE_PORT) !== 0 } }
}

/**
 * A Binding success response carrying XOR-MAPPED-ADDRESS and SOFTWARE, with a FINGERPRINT; an RFC 5780
 * server adds OTHER-ADDRESS (its alternate address and port) and RESPONSE-ORIGIN (where it sends from).
 */
export function buildBindingResponse(transactionId: Buffer, mapped: NatEndpoint, software: string, rfc5780?: { other: NatEndpoint; origin: NatEndpoint }): Buffer {
  const response = new codec.Message(methods.BINDING, classes.RESPONSE, transactionId)
  response.setAttribute('XOR-MAPPED-ADDRESS', [mapped.address, mapped.port])
  if (rfc5780) {
    response.setAttribute('OTHER-ADDRESS', [rfc5780.other.address, rfc5780.other.port])
    response.setAttribute('RESPONSE-ORIGIN', [rfc5780.origin.address, rfc5780.origin.port])
  }
  response.setAttribute('SOFTWARE', software)
  response.addFingerprint()
  return response.bytes
}
