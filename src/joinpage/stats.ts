import { CANDIDATE_TYPES } from '../shared/protocol/candidateLine'
import type { CandidateInfo, CandidateRef, CandidateType, PairInfo, PairState, SelectedPair } from '../shared/session'

/** One entry of an RTCStatsReport, loosely typed: browsers differ in which fields they fill. */
export type StatsEntry = { id: string; type: string } & Record<string, unknown>

const STATES: readonly string[] = ['frozen', 'waiting', 'in-progress', 'succeeded', 'failed']

export type PairSnapshot = Omit<PairInfo, 'history'>

export interface StatsView {
  pairs: PairSnapshot[]
  selected: SelectedPair | null
}

/**
 * Reads candidate pairs and the selected pair from getStats() output (webrtc-stats names). `known`
 * are the candidates signaled so far: they name an end whose address the statistics leave out.
 */
export function readStats(entries: Iterable<StatsEntry>, known: { local: CandidateInfo[]; remote: CandidateInfo[] } = { local: [], remote: [] }): StatsView {
  const byId = new Map<string, StatsEntry>()
  for (const e of entries) byId.set(e.id, e)
  const refs = new Map<string, CandidateRef>()
  for (const e of byId.values()) {
    if (e.type !== 'local-candidate' && e.type !== 'remote-candidate') continue
    const ref = candidateRef(e)
    if (ref.address === HIDDEN_ADDRESS) {
      const same = (e.type === 'local-candidate' ? known.local : known.remote).find((c) => c.type === ref.type && c.port === ref.port && c.protocol === ref.protocol)
      if (same) ref.address = same.address
    }
    refs.set(e.id, ref)
  }

  const pairs: PairSnapshot[] = []
  const pairRefs = new Map<string, SelectedPair>()
  for (const e of byId.values()) {
    if (e.type !== 'candidate-pair') continue
    const local = refs.get(String(e.localCandidateId))
    const remote = refs.get(String(e.remoteCandidateId))
    if (!local || !remote) continue
    pairRefs.set(e.id, { local, remote })
    const snap: PairSnapshot = {
      id: `${local.address}:${local.port}/${local.protocol}-${remote.address}:${remote.port}`,
      local,
      remote,
      state: STATES.includes(String(e.state)) ? (e.state as PairState) : 'frozen',
      nominated: e.nominated === true,
      requestsSent: numberOr(e.requestsSent, 0),
      responsesReceived: numberOr(e.responsesReceived, 0)
    }
    const rtt = typeof e.currentRoundTripTime === 'number' ? e.currentRoundTripTime : undefined
    if (rtt !== undefined) snap.rttMs = Math.round(rtt * 1000 * 10) / 10
    pairs.push(snap)
  }

  return { pairs, selected: selectedPair(byId, pairRefs) }
}

/**
 * The pair the transport uses: Chromium and Safari name it on the transport report
 * (selectedCandidatePairId), Firefox flags the pair itself (selected: true).
 */
function selectedPair(byId: Map<string, StatsEntry>, pairRefs: Map<string, SelectedPair>): SelectedPair | null {
  for (const e of byId.values()) {
    if (e.type === 'transport' && typeof e.selectedCandidatePairId === 'string') {
      const pair = pairRefs.get(e.selectedCandidatePairId)
      if (pair) return pair
    }
  }
  for (const e of byId.values()) {
    if (e.type === 'candidate-pair' && e.selected === true) return pairRefs.get(e.id) ?? null
  }
  for (const e of byId.values()) {
    if (e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded') return pairRefs.get(e.id) ?? null
  }
  return null
}

/** Shown for an address the browser keeps to itself (Chromium leaves it out of prflx remote candidates). */
export const HIDDEN_ADDRESS = '(hidden by the browser)'

function candidateRef(e: StatsEntry): CandidateRef {
  // `address` is the current name; older browsers call it `ip`.
  const address = typeof e.address === 'string' && e.address ? e.address : typeof e.ip === 'string' && e.ip ? e.ip : HIDDEN_ADDRESS
  const type = (CANDIDATE_TYPES as readonly string[]).includes(String(e.candidateType)) ? (e.candidateType as CandidateType) : 'host'
  return { type, protocol: String(e.protocol).toLowerCase() === 'tcp' ? 'tcp' : 'udp', address, port: numberOr(e.port, 0) }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}
