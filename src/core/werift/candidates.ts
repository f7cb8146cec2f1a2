import { CandidatePairState, type CandidatePair } from 'werift'
import type { CandidateRef, PairInfo, PairState } from '../../shared/session'
import { isCandidateType } from '../../shared/protocol/candidateLine'

// werift's candidates and pairs in the shapes the report and the UI share.

export function candidateRef(c: { type: string; transport: string; host: string; port: number }): CandidateRef {
  return {
    type: isCandidateType(c.type) ? c.type : 'host',
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

/**
 * A snapshot of one werift candidate pair, without history. `nominated` is the pair the connection
 * nominated: with aggressive nomination werift flags every pair it checked as nominated.
 */
export function pairSnapshot(pair: CandidatePair, nominatedPair?: CandidatePair): Omit<PairInfo, 'history'> {
  const snap: Omit<PairInfo, 'history'> = {
    id: `${pair.localCandidate.host}:${pair.localCandidate.port}/${pair.localCandidate.transport}-${pair.remoteCandidate.host}:${pair.remoteCandidate.port}`,
    local: candidateRef(pair.localCandidate),
    remote: candidateRef(pair.remoteCandidate),
    state: STATES[pair.state] ?? 'frozen',
    nominated: nominatedPair !== undefined && pair.id === nominatedPair.id,
    requestsSent: pair.requestsSent,
    responsesReceived: pair.responsesReceived
  }
  if (pair.rtt !== undefined) snap.rttMs = Math.round(pair.rtt * 1000 * 10) / 10
  return snap
}

/**
 * How this connection reached its TURN server: werift falls back from UDP to TCP by itself, so the
 * URL alone does not say. Read from the TURN client's transport (a private werift field).
 */
export function relayTransportOf(pc: { iceTransports: Array<{ connection: unknown }> } | undefined): 'udp' | 'tcp' | 'tls' | undefined {
  const connection = pc?.iceTransports[0]?.connection as { protocols?: Array<{ turn?: { transport?: { type?: string } } }> } | undefined
  const type = connection?.protocols?.find((p) => p.turn)?.turn?.transport?.type
  return type === 'udp' || type === 'tcp' || type === 'tls' ? type : undefined
}
