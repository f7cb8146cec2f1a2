/** The ICE settings a user gives on the command line or in the app's settings. */
export interface IceOptions {
  /** stun: URLs; werift uses only the first. */
  stun: string[]
  /** turn: or turns: URLs; werift uses only the first. */
  turn: string[]
  turnUser?: string
  turnPass?: string
  /** Extra host addresses werift would not gather itself, such as 127.0.0.1. */
  additionalHostAddresses?: string[]
  transportPolicy?: 'all' | 'relay'
  /** Seconds werift waits for server-reflexive candidates before it starts checking (default 3). */
  stunGatherTimeoutS?: number
}

export class IceUrlError extends Error {
  override name = 'IceUrlError'
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/

/**
 * Normalises a STUN or TURN server given as a URL (`stun:HOST:PORT`, `turn:HOST:PORT?transport=tcp`)
 * or as a bare `HOST:PORT`. Throws IceUrlError with a one-line reason otherwise.
 */
export function normalizeIceUrl(kind: 'stun' | 'turn', text: string): string {
  const raw = text.trim()
  const schemes = kind === 'stun' ? ['stun', 'stuns'] : ['turn', 'turns']
  const m = /^([a-z]+):(?!\/\/)(.*)$/.exec(raw)
  const scheme = m && !/^\d+$/.test(m[2]!.split('?')[0]!) ? m[1]! : kind
  const rest = m && scheme === m[1] ? m[2]! : raw
  if (!schemes.includes(scheme)) throw new IceUrlError(`${kind} server must be ${schemes.join(':, ')}: URL or HOST:PORT, got ${JSON.stringify(text)}`)
  const [hostPort, query] = rest.split('?', 2) as [string, string | undefined]
  const hp = HOST_PORT.exec(hostPort)
  if (!hp) throw new IceUrlError(`bad ${kind} server address ${JSON.stringify(text)}: expected HOST:PORT`)
  const port = hp[2] === undefined ? (scheme.endsWith('s') ? 5349 : 3478) : Number(hp[2])
  if (port < 1 || port > 65535) throw new IceUrlError(`bad port in ${JSON.stringify(text)}`)
  if (query !== undefined && kind === 'turn' && !/^transport=(udp|tcp)$/.test(query)) {
    throw new IceUrlError(`unsupported TURN URL option ${JSON.stringify(query)}: use ?transport=udp or ?transport=tcp`)
  }
  return `${scheme}:${hp[1]}:${port}${query ? `?${query}` : ''}`
}

/** Host and port of a normalised URL, as shown next to the candidates it produced. */
export function serverOf(url: string | undefined): string | undefined {
  return url?.replace(/^[a-z]+:/, '').split('?')[0]
}
