// The candidate and pair tables: rows, counts and the order they show in.
import type { CandidateInfo, CandidateType, PairInfo, PairState, SelectedPair } from '../../../shared/session'
import { candidateLabel, hostPort, msMeasured as ms, seconds } from '../../../shared/format'
import { candidateSdpLine } from '../../../shared/protocol/candidateLine'
import { mirroredPair, pairFailureWhy, pairStateText } from '../../../shared/pairs'

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
  /** What the copy buttons copy: "192.0.2.1:5000" and the SDP "a=candidate:…" line. */
  endpoint: string
  sdp: string
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
      at: seconds(c.atMs),
      endpoint: hostPort(c.address, c.port),
      sdp: candidateSdpLine(c)
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
  /** The other side's checks on the same pair (from its half of the report), '' while unknown. */
  theirChecks: string
  /** Why a checked pair failed, from the checks each way; '' otherwise. */
  why: string
  /** The pair itself, for the detail view. */
  pair: PairInfo
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
export function pairRows(pairs: PairInfo[], selected: SelectedPair | null, theirPairs: PairInfo[] = []): PairRow[] {
  const rows = pairs
    .map((p) => ({ p, theirs: mirroredPair(p, theirPairs) }))
    .map(({ p, theirs }) => ({
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
      checks: `${p.requestsSent}/${p.responsesReceived}`,
      theirChecks: theirs ? `${theirs.requestsSent}/${theirs.responsesReceived}` : '',
      why: pairFailureWhy(p, theirs) ?? '',
      pair: p
    }))
    .sort((a, b) => Number(b.selected) - Number(a.selected) || STATE_ORDER[a.state] - STATE_ORDER[b.state] || Number(b.nominated) - Number(a.nominated))
  // After sorting, the best of several matches (succeeded, nominated) keeps the mark.
  const first = rows.findIndex((r) => r.selected)
  return rows.map((r, i) => (r.selected && i !== first ? { ...r, selected: false } : r))
}

export interface PairDetail {
  title: string
  history: { state: string; at: string }[]
  facts: [string, string][]
}

/** What a clicked pair shows: its states over time, the checks each way, RTT, attempt, why it lost. */
export function pairDetail(row: PairRow): PairDetail {
  const p = row.pair
  const attempt = p.attempt === undefined ? 'not recorded' : p.attempt === 1 ? '1 (all candidates)' : p.attempt === 2 ? '2 (relay only)' : String(p.attempt)
  const lost = row.selected ? 'it won: the selected pair' : row.why || (p.unchecked ? row.stateText : p.state === 'succeeded' ? 'it worked, but another pair was selected' : `still ${p.state} when the session ended`)
  return {
    title: `${row.local} → ${row.remote}`,
    history: p.history.map((h) => ({ state: h.state, at: seconds(h.atMs) })),
    facts: [
      ['state', row.stateText + (p.nominated ? ', nominated' : '')],
      ['attempt', attempt],
      ['checks this side sent / got answered', row.checks],
      ['checks the other side sent / got answered', row.theirChecks || 'not known (its half of the report has not arrived)'],
      ['RTT', row.rtt || 'not measured'],
      [row.selected ? 'outcome' : 'why it lost', lost]
    ]
  }
}
