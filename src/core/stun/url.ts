import { isIPv6 } from 'node:net'

export const DEFAULT_STUN_PORT = 3478

export class StunUrlError extends Error {
  override name = 'StunUrlError'
}

export interface StunServerSpec {
  /** Host name or IP literal, without brackets. */
  host: string
  port: number
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/

/**
 * A STUN server as the user writes it: `stun:HOST:PORT` (RFC 7064, the form the ICE options use),
 * `stun:HOST`, a bare `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 literal. NAT discovery needs plain UDP,
 * so `stuns:` and TURN URLs are refused. Throws StunUrlError with a one-line reason.
 */
export function parseStunServer(text: string): StunServerSpec {
  const raw = text.trim()
  if (raw === '') throw new StunUrlError('empty STUN server')
  if (isIPv6(raw)) return { host: raw, port: DEFAULT_STUN_PORT }
  let rest = raw
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d+$)(.*)$/.exec(raw)
  if (scheme && !HOST_PORT.test(raw)) {
    const name = scheme[1]!.toLowerCase()
    if (name !== 'stun') {
      throw new StunUrlError(`NAT discovery needs a plain UDP STUN server (stun:HOST:PORT), got ${JSON.stringify(text)}`)
    }
    rest = scheme[2]!
  }
  if (rest.startsWith('//')) throw new StunUrlError(`bad STUN URL ${JSON.stringify(text)}: write stun:HOST:PORT, without //`)
  const [hostPort, query] = rest.split('?', 2) as [string, string | undefined]
  if (query !== undefined && query.toLowerCase() !== 'transport=udp') {
    throw new StunUrlError(`unsupported STUN URL option ${JSON.stringify(query)}: NAT discovery runs over UDP`)
  }
  if (isIPv6(hostPort)) return { host: hostPort, port: DEFAULT_STUN_PORT }
  const m = HOST_PORT.exec(hostPort)
  if (!m) throw new StunUrlError(`bad STUN server ${JSON.stringify(text)}: expected stun:HOST:PORT or HOST:PORT`)
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!
  if (m[1]!.startsWith('[') && !isIPv6(host)) throw new StunUrlError(`bad IPv6 address in ${JSON.stringify(text)}`)
  const port = m[2] === undefined ? DEFAULT_STUN_PORT : Number(m[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StunUrlError(`bad port in ${JSON.stringify(text)}`)
  return { host, port }
}
