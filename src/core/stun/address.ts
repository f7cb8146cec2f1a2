import { isIPv4, isIPv6 } from 'node:net'
import type { NatEndpoint, NatFamily } from '../../shared/nat'

/**
 * One spelling per address, so that addresses from the wire (werift's formatter), from the socket
 * (inet_ntop) and from the user compare equal. IPv4-mapped IPv6 becomes plain IPv4.
 */
export function canonicalIp(address: string): string {
  const a = address.trim().toLowerCase()
  if (isIPv4(a)) return a
  if (!isIPv6(a)) return a
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!
  try {
    // WHATWG URL serialises IPv6 the RFC 5952 way (lowercase, longest zero run compressed).
    return new URL(`http://[${a}]/`).hostname.slice(1, -1)
  } catch {
    return a // zone ids (fe80::1%eth0) and other oddities: compare as typed
  }
}

export function familyOf(address: string): NatFamily | undefined {
  const a = canonicalIp(address)
  if (isIPv4(a)) return 4
  if (isIPv6(a)) return 6
  return undefined
}

export function endpoint(address: string, port: number): NatEndpoint {
  return { address: canonicalIp(address), port }
}

export function sameIp(a: string, b: string): boolean {
  return canonicalIp(a) === canonicalIp(b)
}

export function sameEndpoint(a: NatEndpoint | null | undefined, b: NatEndpoint | null | undefined): boolean {
  return !!a && !!b && a.port === b.port && sameIp(a.address, b.address)
}

export function formatEndpoint(e: NatEndpoint | null | undefined): string {
  if (!e) return '-'
  return familyOf(e.address) === 6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`
}
