// The candidate and pair tables: rows, counts and the order they show in.
import type { CandidateInfo, CandidateType, PairInfo, PairState, SelectedPair } from '../../../shared/session'
import { candidateLabel, hostPort, msMeasured as ms, seconds } from '../../../shared/format'
import { pairStateText } from '../../../shared/pairs'

export { CANDIDATE_TYPES } from '../../../shared/protocol/candidateLine'

export const TYPE_NAMES: Record<CandidateType, string> = {
  host: 'host (local interface)',
  srflx: 'srflx (seen by STUN)',
  prflx: 'prflx (seen by the peer)',
  relay: 'relay (TURN)'
}

export interface CandidateRow {
  key: string
  type: CandidateType
  protocol: string
  address: string
  port: number
  priority: number
  server: string
  related: string
  at: string
}

export function candidateRows(list: CandidateInfo[], shown: ReadonlySet<CandidateType>): CandidateRow[] {
  return list
    .filter((c) => shown.has(c.type))
    .map((c) => ({
      key: `${c.type}-${c.protocol}-${c.address}-${c.port}`,
      type: c.type,
      protocol: c.protocol,
      address: c.address,
      port: c.port,
      priority: c.priority,
      server: c.server ?? '',
      related: c.relatedAddress ? hostPort(c.relatedAddress.address, c.relatedAddress.port) : '',
      at: seconds(c.atMs)
    }))
}

export function candidateCounts(list: CandidateInfo[]): Record<CandidateType, number> {
  const counts: Record<CandidateType, number> = { host: 0, srflx: 0, prflx: 0, relay: 0 }
  for (const c of list) counts[c.type]++
  return counts
}

export interface PairRow {
  key: string
  local: string
  remote: string
  state: PairState
  /** The state as shown: a pair ICE never checked says so instead of "failed". */
  stateText: string
  unchecked: boolean
  nominated: boolean
  selected: boolean
  /** Which ICE attempt the pair belongs to (1: all candidates, 2: relay only), '' for older cores. */
  attempt: string
  rtt: string
  checks: string
}

const STATE_ORDER: Record<PairState, number> = { succeeded: 0, 'in-progress': 1, waiting: 2, frozen: 3, failed: 4 }

function isSelected(p: PairInfo, sel: SelectedPair | null): boolean {
  if (!sel) return false
  const same = (a: PairInfo['local'], b: PairInfo['local']): boolean => a.type === b.type && a.address === b.address && a.port === b.port && a.protocol === b.protocol
  return same(p.local, sel.local) && same(p.remote, sel.remote)
}

/**
 * The selected pair first, then by how far each pair got. Only one row is marked selected: two
 * attempts (all candidates, relay only) can each hold a pair between the same two candidates.
 */
export function pairRows(pairs: PairInfo[], selected: SelectedPair | null): PairRow[] {
  const rows = pairs
    .map((p) => ({
      key: p.id,
      local: candidateLabel(p.local),
      remote: candidateLabel(p.remote),
      state: p.state,
      stateText: pairStateText(p),
      unchecked: p.unchecked !== undefined,
      nominated: p.nominated,
      selected: isSelected(p, selected),
      attempt: p.attempt === undefined ? '' : String(p.attempt),
      rtt: p.rttMs === undefined ? '' : ms(p.rttMs),
      checks: `${p.requestsSent}/${p.responsesReceived}`
    }))
    .sort((a, b) => Number(b.selected) - Number(a.selected) || STATE_ORDER[a.state] - STATE_ORDER[b.state] || Number(b.nominated) - Number(a.nominated))
  // After sorting, the best of several matches (succeeded, nominated) keeps the mark.
  const first = rows.findIndex((r) => r.selected)
  return rows.map((r, i) => (r.selected && i !== first ? { ...r, selected: false } : r))
}
