import { Candidate, CandidatePairState, type CandidatePair } from 'werift'
import type { CandidateInfo, CandidateRef, CandidateType, PairInfo, PairState } from '../../shared/session'

const TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay']

/** Reads an SDP candidate line (with or without the `candidate:` prefix); undefined when it is not one. */
export function parseCandidate(line: string, atMs: number, servers: { stun?: string; turn?: string } = {}): CandidateInfo | undefined {
  let c: Candidate
  try {
    c = Candidate.fromSdp(line.trim().replace(/^a=/, '').replace(/^candidate:/, ''))
  } catch {
    return undefined
  }
  if (!TYPES.includes(c.type) || !c.host || !Number.isInteger(c.port)) return undefined
  const type = c.type as CandidateType
  const info: CandidateInfo = {
    type,
    protocol: c.transport.toLowerCase() === 'tcp' ? 'tcp' : 'udp',
    address: c.host,
    port: c.port,
    priority: c.priority,
    foundation: c.foundation,
    component: c.component,
    atMs
  }
  if (c.relatedAddress !== undefined && c.relatedPort !== undefined) info.relatedAddress = { address: c.relatedAddress, port: c.relatedPort }
  if (c.tcptype) info.tcpType = c.tcptype
  const server = type === 'srflx' ? servers.stun : type === 'relay' ? servers.turn : undefined
  if (server) info.server = server
  return info
}

export function candidateRef(c: { type: string; transport: string; host: string; port: number }): CandidateRef {
  return {
    type: (TYPES.includes(c.type) ? c.type : 'host') as CandidateType,
    protocol: c.transport.toLowerCase() === 'tcp' ? 'tcp' : 'udp',
    address: c.host,
    port: c.port
  }
}

const STATES: Record<CandidatePairState, PairState> = {
  [CandidatePairState.FROZEN]: 'frozen',
  [CandidatePairState.WAITING]: 'waiting',
  [CandidatePairState.IN_PROGRESS]: 'in-progress',
  [CandidatePairState.SUCCEEDED]: 'succeeded',
  [CandidatePairState.FAILED]: 'failed'
}

/** A snapshot of one werift candidate pair, without history. */
export function pairSnapshot(pair: CandidatePair): Omit<PairInfo, 'history'> {
  const snap: Omit<PairInfo, 'history'> = {
    id: `${pair.localCandidate.host}:${pair.localCandidate.port}/${pair.localCandidate.transport}-${pair.remoteCandidate.host}:${pair.remoteCandidate.port}`,
    local: candidateRef(pair.localCandidate),
    remote: candidateRef(pair.remoteCandidate),
    state: STATES[pair.state] ?? 'frozen',
    nominated: pair.nominated,
    requestsSent: pair.requestsSent,
    responsesReceived: pair.responsesReceived
  }
  if (pair.rtt !== undefined) snap.rttMs = Math.round(pair.rtt * 1000 * 10) / 10
  return snap
}
