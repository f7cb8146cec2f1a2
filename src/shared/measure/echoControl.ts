// The echo train's control messages on the reliable "peerlens" data channel (JSON, beside the
// messages of src/shared/probe.ts, which ignores them). A responder echoes only tokens the other
// side opened here first, so it never reflects arbitrary traffic:
//   initiator → responder  {t:'udp-echo', token, count}     open a train of at most `count` requests
//   responder → initiator  {t:'udp-echo-ok', token}          ready (no answer: refused, e.g. too many open)
//   initiator → responder  {t:'udp-echo-end', token}         the train is over
//   responder → initiator  {t:'udp-echo-count', token, received}  how many requests it got (for one-way loss)
// Tokens are 8 random bytes as 16 lowercase hex digits.
import { UDP_TOKEN_BYTES } from '../protocol/udpProbe'
import { ECHO_MAX_COUNT } from './echoStats'
import { parseJsonObject } from '../jsonObject'

export type EchoControl =
  | { t: 'udp-echo'; token: string; count: number }
  | { t: 'udp-echo-ok'; token: string }
  | { t: 'udp-echo-end'; token: string }
  | { t: 'udp-echo-count'; token: string; received: number }

const TOKEN = /^[0-9a-f]{16}$/

export function tokenHex(token: Uint8Array): string {
  return Array.from(token.subarray(0, UDP_TOKEN_BYTES), (b) => b.toString(16).padStart(2, '0')).join('')
}

export function tokenBytes(hex: string): Uint8Array {
  const out = new Uint8Array(UDP_TOKEN_BYTES)
  for (let i = 0; i < UDP_TOKEN_BYTES; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function encodeEchoControl(m: EchoControl): string {
  return JSON.stringify(m)
}

/** Reads a control message defensively: undefined for anything else (other probe messages, bad tokens, out-of-range numbers). */
export function decodeEchoControl(data: unknown): EchoControl | undefined {
  if (typeof data !== 'string' || data.length > 200 || !data.includes('"udp-echo')) return undefined
  const m = parseJsonObject(data)
  if (!m || typeof m.token !== 'string' || !TOKEN.test(m.token)) return undefined
  const token = m.token
  const n = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= ECHO_MAX_COUNT
  switch (m.t) {
    case 'udp-echo':
      return n(m.count) && m.count > 0 ? { t: 'udp-echo', token, count: m.count } : undefined
    case 'udp-echo-ok':
      return { t: 'udp-echo-ok', token }
    case 'udp-echo-end':
      return { t: 'udp-echo-end', token }
    case 'udp-echo-count':
      return n(m.received) ? { t: 'udp-echo-count', token, received: m.received } : undefined
  }
  return undefined
}
