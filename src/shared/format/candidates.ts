// Candidates, pairs and endpoints as one line of text.
import type { CandidateInfo, CandidateRef, Endpoint, SelectedPair } from '../session'
import { hostPort } from './units'
import { CANDIDATE_TYPES } from '../protocol/candidateLine'

export function endpointText(e: Endpoint | null | undefined): string {
  return e ? hostPort(e.address, e.port) : '-'
}

/** "srflx 198.51.100.7:5000". */
export function candidateRefText(c: CandidateRef): string {
  return `${c.type} ${hostPort(c.address, c.port)}`
}

/** "srflx udp 198.51.100.7:5000": with the transport, as the dashboard's tables show a candidate. */
export function candidateLabel(c: CandidateRef): string {
  return `${c.type} ${c.protocol} ${hostPort(c.address, c.port)}`
}

export function pairText(p: SelectedPair | null | undefined): string {
  return p ? `${candidateRefText(p.local)} <-> ${candidateRefText(p.remote)} (${p.local.protocol})` : 'none'
}

const isLoopback = (address: string): boolean => /^127\./.test(address) || address === '::1'

/**
 * A candidate's related address in words: for a srflx candidate, the socket (base) it was gathered
 * from. A reflexive address on loopback is no NAT's doing: a STUN server on this machine saw a socket
 * bound to every address (its host candidate on another interface) through loopback, so "from" would
 * read as a translation that never happened.
 */
export function relatedText(c: Pick<CandidateInfo, 'type' | 'address' | 'relatedAddress'>): string {
  if (!c.relatedAddress) return ''
  const base = endpointText(c.relatedAddress)
  if (c.type !== 'host' && c.type !== 'relay' && isLoopback(c.address) && !isLoopback(c.relatedAddress.address)) {
    return `the socket of ${base}, seen over loopback by a STUN server on this machine`
  }
  return base
}

export function candidateText(c: CandidateInfo): string {
  const related = relatedText(c)
  const sep = related && related !== endpointText(c.relatedAddress) ? ', ' : ' from '
  return `${c.type} ${c.protocol} ${hostPort(c.address, c.port)}${related ? `${sep}${related}` : ''}`
}

/** "2 host, 1 srflx, 1 relay". */
export function candidateCounts(list: CandidateInfo[]): string {
  const counts = new Map<string, number>()
  for (const c of list) counts.set(c.type, (counts.get(c.type) ?? 0) + 1)
  return CANDIDATE_TYPES.filter((t) => counts.has(t)).map((t) => `${counts.get(t)} ${t}`).join(', ') || 'none'
}
