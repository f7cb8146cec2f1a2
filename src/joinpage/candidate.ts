import type { CandidateInfo, CandidateRef, CandidateType } from '../shared/session'

const TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay']

/**
 * Reads an SDP candidate line (`candidate:FOUNDATION COMPONENT TRANSPORT PRIORITY ADDRESS PORT typ TYPE ...`),
 * with or without the `a=` and `candidate:` prefixes. The page parses lines itself rather than
 * trusting RTCIceCandidate's fields, which not every browser fills in.
 */
export function parseCandidateLine(line: string, atMs: number, server?: string): CandidateInfo | undefined {
  const words = line.trim().replace(/^a=/, '').replace(/^candidate:/, '').split(/\s+/)
  if (words.length < 8 || words[6] !== 'typ') return undefined
  const [foundation, component, transport, priority, address, port, , type] = words as [string, string, string, string, string, string, string, string]
  if (!TYPES.includes(type) || !/^\d+$/.test(port) || !/^\d+$/.test(priority) || !address) return undefined
  const info: CandidateInfo = {
    type: type as CandidateType,
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
  if (server && (info.type === 'srflx' || info.type === 'relay')) info.server = server
  return info
}

export function refOf(c: { type: CandidateType; protocol: 'udp' | 'tcp'; address: string; port: number }): CandidateRef {
  return { type: c.type, protocol: c.protocol, address: c.address, port: c.port }
}

/** Chromium hides host addresses behind random `.local` names unless told otherwise. */
export function isMdnsName(address: string): boolean {
  return /\.local\.?$/i.test(address)
}
