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

export function candidateText(c: CandidateInfo): string {
  const related = c.relatedAddress ? ` from ${endpointText(c.relatedAddress)}` : ''
  return `${c.type} ${c.protocol} ${hostPort(c.address, c.port)}${related}`
}

/** "2 host, 1 srflx, 1 relay". */
export function candidateCounts(list: CandidateInfo[]): string {
  const counts = new Map<string, number>()
  for (const c of list) counts.set(c.type, (counts.get(c.type) ?? 0) + 1)
  return CANDIDATE_TYPES.filter((t) => counts.has(t)).map((t) => `${counts.get(t)} ${t}`).join(', ') || 'none'
}
