import type { CandidateInfo, CandidateType } from '../session'

export const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay']

export function isCandidateType(value: unknown): value is CandidateType {
  return (CANDIDATE_TYPES as readonly unknown[]).includes(value)
}

/**
 * Reads an SDP candidate line (`candidate:FOUNDATION COMPONENT TRANSPORT PRIORITY ADDRESS PORT typ TYPE ...`),
 * with or without the `a=` and `candidate:` prefixes; undefined when it is not one. The engine and the
 * join page both read lines with it (the page rather than trusting RTCIceCandidate's fields, which not
 * every browser fills in). `server` is the STUN or TURN server that produced a srflx or relay candidate.
 */
export function parseCandidateLine(line: string, atMs: number, servers: { stun?: string; turn?: string } = {}): CandidateInfo | undefined {
  const words = line.trim().replace(/^a=/, '').replace(/^candidate:/, '').split(/\s+/)
  if (words.length < 8 || words[6] !== 'typ') return undefined
  const [foundation, component, transport, priority, address, port, , type] = words as [string, string, string, string, string, string, string, string]
  if (!isCandidateType(type) || !/^\d+$/.test(port) || !/^\d+$/.test(priority) || !address) return undefined
  const info: CandidateInfo = {
    type,
    protocol: transport.toLowerCase() === 'tcp' ? 'tcp' : 'udp',
    address,
    port: Number(port),
    priority: Number(priority),
    foundation,
    component: Number(component) || 1,
    atMs
  }
  const extra = new Map<string, string>()
  for (let i = 8; i + 1 < words.length; i += 2) extra.set(words[i]!, words[i + 1]!)
  const raddr = extra.get('raddr')
  const rport = extra.get('rport')
  if (raddr !== undefined && rport !== undefined && /^\d+$/.test(rport)) info.relatedAddress = { address: raddr, port: Number(rport) }
  const tcpType = extra.get('tcptype')
  if (tcpType) info.tcpType = tcpType
  const server = type === 'srflx' ? servers.stun : type === 'relay' ? servers.turn : undefined
  if (server) info.server = server
  return info
}

/** The address a local candidate was gathered on: its own for host candidates, the base for the others. */
export function baseAddress(c: Pick<CandidateInfo, 'type' | 'address' | 'relatedAddress'>): string | undefined {
  return c.type === 'host' ? c.address : c.relatedAddress?.address
}

/** Chromium hides host addresses behind random `.local` names unless told otherwise. */
export function isMdnsName(address: string): boolean {
  return /\.local\.?$/i.test(address)
}

/** The other way round: a candidate as the `a=candidate:` line an SDP would carry (what parseCandidateLine reads back). */
export function candidateSdpLine(c: Pick<CandidateInfo, 'type' | 'protocol' | 'address' | 'port' | 'priority' | 'foundation' | 'component' | 'relatedAddress' | 'tcpType'>): string {
  const related = c.relatedAddress ? ` raddr ${c.relatedAddress.address} rport ${c.relatedAddress.port}` : c.type === 'host' ? '' : ' raddr 0.0.0.0 rport 0'
  const tcp = c.protocol === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : ''
  return `a=candidate:${c.foundation || '1'} ${c.component || 1} ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}${related}${tcp}`
}
