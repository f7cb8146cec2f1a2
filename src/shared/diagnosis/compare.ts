// Two reports side by side, "before" and "after" a change (a firewall rule, a VPN switched off):
// what changed, and whether for the better. One pure rule for the CLI (`peerlens show A --compare B`)
// and the app's Compare screen; the words come from src/shared/format.
import type { PathMeasurement, Report, Side } from '../report'
import type { NatResult } from '../nat'
import { CANDIDATE_TYPES } from '../protocol/candidateLine'
import { bits, ms, natTitle, roleName, utc } from '../format'
import { findings, type Finding } from './findings'

/** same: nothing changed; better / worse: a change with a direction; changed: a change without one. */
export type Change = 'same' | 'better' | 'worse' | 'changed'

export interface CompareRow {
  section: 'outcome' | 'nat' | 'candidates' | 'path' | 'ports'
  label: string
  before: string
  after: string
  change: Change
}

export interface ComparedFinding extends Finding {
  /** appeared: only after; gone: only before; kept: in both (numbers may differ). */
  status: 'appeared' | 'gone' | 'kept'
}

export interface ReportComparison {
  /** One line: "relayed → direct (better)". */
  headline: string
  change: Change
  before: { createdAt: string; writtenBy: string; peers: string }
  after: { createdAt: string; writtenBy: string; peers: string }
  rows: CompareRow[]
  findings: ComparedFinding[]
}

export const SECTION_TITLES: Record<CompareRow['section'], string> = {
  outcome: 'Outcome',
  nat: 'NAT types',
  candidates: 'Candidates by type',
  path: 'Path metrics',
  ports: 'UDP port tests'
}

/** A verdict's rank: higher is better. An unknown verdict (a newer peerlens) ranks with failed. */
const VERDICT_RANK: Record<string, number> = { direct: 3, relayed: 2, failed: 1 }
/** A prediction's rank; unknown says nothing, so it has none. */
const PREDICTION_RANK: Record<string, number> = { direct: 3, relayed: 2, failed: 1 }
/** NAT types, friendliest first (for a peer-to-peer path). */
const NAT_RANK: Record<string, number> = {
  'open-internet': 6,
  'full-cone': 5,
  'restricted-cone': 4,
  'port-restricted-cone': 3,
  'symmetric-udp-firewall': 2,
  symmetric: 2,
  'udp-blocked': 1
}

/** A numeric change counts when it moves by at least this much of the larger value (and RTTs by 2 ms). */
const NUMBER_TOLERANCE = 0.1

function byRank(before: number | undefined, after: number | undefined, same: boolean): Change {
  if (same) return 'same'
  if (before === undefined || after === undefined || before === after) return 'changed'
  return after > before ? 'better' : 'worse'
}

/** Numbers: lower is better for RTT and loss, higher for throughput; small moves are "same". */
export function numberChange(before: number | null | undefined, after: number | null | undefined, higherIsBetter: boolean, floor = 0): Change {
  const b = typeof before === 'number' && Number.isFinite(before) ? before : null
  const a = typeof after === 'number' && Number.isFinite(after) ? after : null
  if (b === null && a === null) return 'same'
  if (b === null) return 'better'
  if (a === null) return 'worse'
  const delta = a - b
  if (Math.abs(delta) <= Math.max(floor, NUMBER_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)))) return 'same'
  return delta > 0 === higherIsBetter ? 'better' : 'worse'
}

function side(report: Report, role: 'host' | 'join'): Side | undefined {
  return report.sides.find((s) => s.role === role)
}

function peers(report: Report): string {
  return report.sides.map((s) => (s.missing ? `${roleName(s.role)} (missing)` : `${roleName(s.role)} ${s.name}`)).join(', ')
}

function natOf(s: Side | undefined): NatResult | null | undefined {
  return s && !s.missing ? s.nat : undefined
}

function natWords(nat: NatResult | null | undefined, s: Side | undefined): string {
  if (!s || s.missing) return 'half missing'
  if (nat === undefined) return 'not measured'
  if (nat === null) return 'no STUN answer'
  return natTitle(nat.classic)
}

function counts(s: Side | undefined): string {
  if (!s || s.missing) return 'half missing'
  const n = new Map<string, number>()
  for (const c of s.candidates.local) n.set(c.type, (n.get(c.type) ?? 0) + 1)
  return CANDIDATE_TYPES.map((t) => `${n.get(t) ?? 0} ${t}`).join(', ')
}

/** More kinds of candidate is better (a srflx or relay appearing is what a firewall fix brings). */
function candidateChange(b: Side | undefined, a: Side | undefined, before: string, after: string): Change {
  if (before === after) return 'same'
  const kinds = (s: Side | undefined): number => (s && !s.missing ? new Set(s.candidates.local.map((c) => c.type)).size : 0)
  return byRank(kinds(b), kinds(a), false)
}

function pathRows(label: string, b: PathMeasurement | null | undefined, a: PathMeasurement | null | undefined): CompareRow[] {
  if (!b && !a) return []
  const rtt = (p: PathMeasurement | null | undefined): number | null => p?.rtt?.p50Ms ?? null
  const loss = (p: PathMeasurement | null | undefined): number | null => (p && p.probesSent > 0 ? p.lossPercent : null)
  const up = (p: PathMeasurement | null | undefined): number | null => p?.throughput?.hostToJoinBps ?? null
  const down = (p: PathMeasurement | null | undefined): number | null => p?.throughput?.joinToHostBps ?? null
  const lossText = (v: number | null): string => (v === null ? '-' : `${Number(v.toFixed(1))}%`)
  return [
    { section: 'path', label: `${label} RTT (median)`, before: ms(rtt(b)), after: ms(rtt(a)), change: numberChange(rtt(b), rtt(a), false, 2) },
    { section: 'path', label: `${label} loss`, before: lossText(loss(b)), after: lossText(loss(a)), change: numberChange(loss(b), loss(a), false, 1) },
    { section: 'path', label: `${label} host to joiner`, before: bits(up(b)), after: bits(up(a)), change: numberChange(up(b), up(a), true) },
    { section: 'path', label: `${label} joiner to host`, before: bits(down(b)), after: bits(down(a)), change: numberChange(down(b), down(a), true) }
  ]
}

function portRows(before: Report, after: Report): CompareRow[] {
  const ports = [...new Set([...(before.portTests ?? []), ...(after.portTests ?? [])].map((t) => t.port))].sort((x, y) => x - y)
  return ports.map((port) => {
    const b = before.portTests?.find((t) => t.port === port)
    const a = after.portTests?.find((t) => t.port === port)
    const words = (t: typeof b): string => (!t ? 'not tested' : t.reachable ? 'reachable' : 'unreachable')
    const rank = (t: typeof b): number | undefined => (!t ? undefined : t.reachable ? 2 : 1)
    return { section: 'ports', label: `UDP ${port}`, before: words(b), after: words(a), change: byRank(rank(b), rank(a), words(b) === words(a)) }
  })
}

/** A finding's identity across two runs: its words without the numbers (an RTT or a port may move). */
export function findingKey(f: Finding): string {
  return `${f.level}:${f.text.replace(/\d+(?:\.\d+)?/g, '#')}`
}

export function compareFindings(before: Finding[], after: Finding[]): ComparedFinding[] {
  const beforeKeys = new Set(before.map(findingKey))
  const afterKeys = new Set(after.map(findingKey))
  return [
    ...after.filter((f) => !beforeKeys.has(findingKey(f))).map((f) => ({ ...f, status: 'appeared' as const })),
    ...before.filter((f) => !afterKeys.has(findingKey(f))).map((f) => ({ ...f, status: 'gone' as const })),
    ...after.filter((f) => beforeKeys.has(findingKey(f))).map((f) => ({ ...f, status: 'kept' as const }))
  ]
}

export function compareReports(before: Report, after: Report): ReportComparison {
  const bv = before.connection.verdict
  const av = after.connection.verdict
  const verdictChange = byRank(VERDICT_RANK[bv] ?? 1, VERDICT_RANK[av] ?? 1, bv === av)
  const bp = before.prediction?.verdict ?? 'not made'
  const ap = after.prediction?.verdict ?? 'not made'
  const selected = (r: Report): string => {
    const p = r.connection.selectedPair
    return p ? `${p.local.type} to ${p.remote.type}` : 'none'
  }
  const rows: CompareRow[] = [
    { section: 'outcome', label: 'Verdict', before: bv, after: av, change: verdictChange },
    { section: 'outcome', label: 'Why', before: before.connection.reason, after: after.connection.reason, change: before.connection.reason === after.connection.reason ? 'same' : 'changed' },
    { section: 'outcome', label: 'Prediction', before: bp, after: ap, change: byRank(PREDICTION_RANK[bp], PREDICTION_RANK[ap], bp === ap) },
    { section: 'outcome', label: 'Selected pair', before: selected(before), after: selected(after), change: selected(before) === selected(after) ? 'same' : 'changed' },
    {
      section: 'outcome',
      label: 'Connected after',
      before: ms(before.connection.connectedAfterMs, 0),
      after: ms(after.connection.connectedAfterMs, 0),
      change: numberChange(before.connection.connectedAfterMs, after.connection.connectedAfterMs, false, 50)
    },
    { section: 'outcome', label: 'RTT', before: ms(before.connection.rttMs), after: ms(after.connection.rttMs), change: numberChange(before.connection.rttMs, after.connection.rttMs, false, 2) }
  ]
  for (const role of ['host', 'join'] as const) {
    const b = side(before, role)
    const a = side(after, role)
    const nb = natOf(b)
    const na = natOf(a)
    const wb = natWords(nb, b)
    const wa = natWords(na, a)
    rows.push({ section: 'nat', label: `${roleName(role)} NAT`, before: wb, after: wa, change: byRank(nb ? NAT_RANK[nb.classic] : undefined, na ? NAT_RANK[na.classic] : undefined, wb === wa) })
  }
  for (const role of ['host', 'join'] as const) {
    const b = side(before, role)
    const a = side(after, role)
    const cb = counts(b)
    const ca = counts(a)
    rows.push({ section: 'candidates', label: `${roleName(role)} candidates`, before: cb, after: ca, change: candidateChange(b, a, cb, ca) })
  }
  rows.push(...pathRows('direct', before.paths?.direct, after.paths?.direct), ...pathRows('relay', before.paths?.relay, after.paths?.relay))
  rows.push(...portRows(before, after))
  const arrow = bv === av ? `${av} both times` : `${bv} → ${av}`
  const changed = rows.filter((r) => r.change !== 'same').length
  return {
    headline: `${arrow}${verdictChange === 'better' ? ' (better)' : verdictChange === 'worse' ? ' (worse)' : ''}; ${changed} of ${rows.length} rows changed`,
    change: verdictChange,
    before: { createdAt: utc(before.createdAt), writtenBy: roleName(before.writtenBy), peers: peers(before) },
    after: { createdAt: utc(after.createdAt), writtenBy: roleName(after.writtenBy), peers: peers(after) },
    rows,
    findings: compareFindings(findings(before), findings(after))
  }
}
