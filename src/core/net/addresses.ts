import { isIP } from 'node:net'

/** Addresses a TURN server on the internet cannot send to: private, loopback, link-local, ULA, CGNAT. */
export function isPrivateAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number) as [number, number]
    return x === 10 || x === 127 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 100 && y >= 64 && y <= 127) || x === 0
  }
  if (isIP(a) === 6) return a === '::1' || a === '::' || a.startsWith('fe80:') || a.startsWith('fc') || a.startsWith('fd') || a.startsWith('::ffff:10.') || a.startsWith('::ffff:192.168.')
  // mDNS names (.local) from browsers hide a host address: treat as private.
  return a.endsWith('.local')
}
