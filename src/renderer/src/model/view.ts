// Pure view models: everything the dashboard shows is computed here from the session state, so
// the components stay thin and these functions carry the unit tests.
import type { CandidateInfo, CandidateType, PairInfo, PairState, SelectedPair } from '../../../shared/session'
import type { NatClassic, NatResult } from '../../../shared/nat'
import type { RunEvent } from '../../../shared/run'
import type { LiveSession, NatSummary } from './session'
import type { NatState } from './nat'
import { attemptsOf, pathsOf, predictionOf, type PathMeasurementLike } from './extras'
import { bitsPerSecond, candidateLabel, hostPort, ms, percentile } from './format'

export const CANDIDATE_TYPES: CandidateType[] = ['host', 'srflx', 'prflx', 'relay']

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
      at: `${(c.atMs / 1000).toFixed(2)} s`
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
  nominated: boolean
  selected: boolean
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
      nominated: p.nominated,
      selected: isSelected(p, selected),
      rtt: p.rttMs === undefined ? '' : ms(p.rttMs),
      checks: `${p.requestsSent}/${p.responsesReceived}`
    }))
    .sort((a, b) => Number(b.selected) - Number(a.selected) || STATE_ORDER[a.state] - STATE_ORDER[b.state] || Number(b.nominated) - Number(a.nominated))
  // After sorting, the best of several matches (succeeded, nominated) keeps the mark.
  const first = rows.findIndex((r) => r.selected)
  return rows.map((r, i) => (r.selected && i !== first ? { ...r, selected: false } : r))
}

export type Tone = 'direct' | 'relayed' | 'failed' | 'pending'

export interface VerdictView {
  tone: Tone
  title: string
  reason: string
  prediction: { title: string; reason: string; disagrees: boolean } | undefined
  attempts: string[]
}

const PHASE_TITLES: Record<string, string> = {
  starting: 'Starting…',
  signaling: 'Signaling: waiting for the other side',
  gathering: 'Gathering candidates',
  checking: 'Checking candidate pairs',
  connected: 'Connected: measuring the path',
  measuring: 'Connected: measuring the path',
  closed: 'Closed'
}

export function verdictView(s: LiveSession): VerdictView {
  const prediction = predictionOf(s.report) ?? (s.prediction as ReturnType<typeof predictionOf>)
  const fromReport = attemptsOf(s.report).map(
    (a) => `${a.policy === 'relay' ? 'relay-only' : 'all candidates'}: ${a.outcome}${a.verdict ? ` (${a.verdict})` : ''}${a.used ? ', used' : ''}: ${a.reason}`
  )
  const attempts = fromReport.length
    ? fromReport
    : s.attempts.map((a) => `attempt ${a.attempt} (${a.policy === 'relay' ? 'relay only' : 'all candidates'}): ${a.outcome}${a.reason ? `: ${a.reason}` : ''}`)
  if (s.end && !s.end.ok) {
    const title = s.end.code === 'cancelled' ? 'Cancelled' : s.end.code === 'bad-input' ? 'Cannot start' : s.end.code === 'no-reply' ? 'No reply' : 'Failed'
    return { tone: 'failed', title, reason: s.end.error, prediction: undefined, attempts }
  }
  const conn = s.report?.connection
  const predicted = prediction
    ? {
        title: prediction.verdict === 'unknown' ? 'Prediction: unknown' : `Predicted: ${prediction.verdict}`,
        reason: prediction.reason,
        disagrees: Boolean(conn) && prediction.verdict !== 'unknown' && prediction.verdict !== conn!.verdict
      }
    : undefined
  if (!conn) return { tone: 'pending', title: PHASE_TITLES[s.phase] ?? s.phase, reason: s.waiting ?? '', prediction: predicted, attempts }
  const title = conn.verdict === 'direct' ? 'Direct connection' : conn.verdict === 'relayed' ? 'Relayed through TURN' : 'No connection'
  return { tone: conn.verdict, title, reason: conn.reason, prediction: predicted, attempts }
}

const CLASSIC: Record<NatClassic, string> = {
  'open-internet': 'Open internet (no NAT)',
  'full-cone': 'Full cone NAT',
  'restricted-cone': 'Restricted cone NAT',
  'port-restricted-cone': 'Port-restricted cone NAT',
  symmetric: 'Symmetric NAT',
  'symmetric-udp-firewall': 'Symmetric UDP firewall',
  'udp-blocked': 'UDP blocked',
  unknown: 'Unknown'
}

export interface NatCardView {
  title: string
  status: string
  rows: Array<{ label: string; value: string }>
  reason: string
}

function yesNo(v: boolean | null | undefined, none = 'not tested'): string {
  return v === null || v === undefined ? none : v ? 'yes' : 'no'
}

function isFull(r: NatResult | NatSummary): r is NatResult {
  return 'method' in r
}

/** A side's NAT card: the result when there is one, progress while tests run, "not measured" otherwise. */
export function natCardView(result: NatResult | NatSummary | undefined, state?: NatState): NatCardView {
  if (result && !isFull(result)) {
    return {
      title: CLASSIC[result.classic as NatClassic] ?? result.classic,
      status: 'as exchanged during the session',
      rows: [
        { label: 'Mapping', value: result.mapping },
        { label: 'Filtering', value: result.filtering }
      ],
      reason: result.reason
    }
  }
  if (!result) {
    if (state?.status === 'running') {
      const done = state.tests.length
      return {
        title: 'Discovering…',
        status: `${done} test${done === 1 ? '' : 's'} done${state.running.length ? `, running ${state.running.join(', ')}` : ''}`,
        rows: state.tests.map((t) => ({ label: t.name, value: t.result + (t.mapped ? ` → ${hostPort(t.mapped.address, t.mapped.port)}` : '') })),
        reason: state.server ? `asking ${state.server}` : ''
      }
    }
    if (state?.status === 'error') return { title: 'Not measured', status: 'discovery failed', rows: [], reason: state.error ?? '' }
    return { title: 'Not measured', status: 'no NAT result from this side', rows: [], reason: '' }
  }
  return {
    title: CLASSIC[result.classic],
    status: result.method === 'rfc5780' ? 'RFC 5780 tests' : result.method === 'two-servers' ? 'compared two servers' : 'no server answered',
    rows: [
      { label: 'Mapping', value: result.mapping },
      { label: 'Filtering', value: result.filtering },
      { label: 'Public address', value: result.mapped ? hostPort(result.mapped.address, result.mapped.port) : 'none' },
      { label: 'Port preserved', value: yesNo(result.portPreserved, 'n/a') },
      { label: 'Hairpin', value: yesNo(result.hairpin) },
      { label: 'Server RTT', value: ms(result.rttMs) }
    ],
    reason: result.reason
  }
}

export interface PathView {
  kind: 'direct' | 'relay' | 'none'
  local: string
  remote: string
  relay: string
}

export function pathView(selected: SelectedPair | null): PathView {
  if (!selected) return { kind: 'none', local: 'this side', remote: 'other side', relay: '' }
  const relayEnd = selected.local.type === 'relay' ? selected.local : selected.remote.type === 'relay' ? selected.remote : undefined
  return {
    kind: relayEnd ? 'relay' : 'direct',
    local: candidateLabel(selected.local),
    remote: candidateLabel(selected.remote),
    relay: relayEnd ? hostPort(relayEnd.address, relayEnd.port) : ''
  }
}

export function describeEvent(e: RunEvent): string {
  switch (e.kind) {
    case 'phase':
      return `phase ${e.phase}${e.detail ? `: ${e.detail}` : ''}`
    case 'ice-state':
      return `ICE ${e.state}`
    case 'gathering':
      return `gathering ${e.state}`
    case 'local-candidate':
      return `local candidate ${candidateLabel(e.candidate)}`
    case 'remote-candidate':
      return `remote candidate ${candidateLabel(e.candidate)}`
    case 'pair':
      return `pair ${candidateLabel(e.pair.local)} ↔ ${candidateLabel(e.pair.remote)}: ${e.pair.state}${e.pair.nominated ? ' (nominated)' : ''}`
    case 'selected-pair':
      return `selected ${candidateLabel(e.pair.local)} ↔ ${candidateLabel(e.pair.remote)}`
    case 'channel-open':
      return 'data channel open'
    case 'probe':
      return `probe RTT ${ms(e.rttMs)}`
    case 'signal':
      return `signal ${e.direction === 'in' ? 'received' : 'sent'}: ${e.type}`
    case 'peer-hello':
      return `peer ${e.name} (peerlens ${e.version})`
    case 'error':
      return `error: ${e.message}`
    case 'warning':
      return `warning: ${e.message}`
    case 'nat':
      return `NAT of the ${e.side} side: ${e.classic} (mapping ${e.mapping}, filtering ${e.filtering})`
    case 'prediction':
      return `prediction: ${e.verdict}: ${e.reason}`
    case 'attempt':
      return `attempt ${e.attempt} (${e.policy === 'relay' ? 'relay only' : 'all candidates'}): ${e.outcome}${e.reason ? `: ${e.reason}` : ''}`
    case 'path-metrics':
      return `${e.path} path: RTT p50 ${ms(e.rttP50Ms)}, jitter ${ms(e.jitterMs)}, loss ${e.lossPercent.toFixed(1)} %`
    case 'servers':
      return `server probes: ${e.probes.map((p) => `${p.url} ${p.reachable ? 'reachable' : 'unreachable'}${p.error ? ` (${p.error.reason})` : ''}`).join(', ') || 'none configured'}`
    case 'clock-offset':
      return `clock offset to the other side ${e.offsetMs} ms (± ${e.errorMs} ms)`
    case 'invite':
      return `invite ${e.url}`
    case 'address':
      return `reachable at ${e.url} (${e.address.name})`
    case 'waiting':
      return e.detail
    case 'joined':
      return `joined room ${e.room}`
    case 'blob':
      return `${e.which} blob ready`
    default:
      return (e as { kind: string }).kind
  }
}

export interface TimelineRow {
  key: number
  at: string
  text: string
  tone: 'normal' | 'error' | 'good'
}

export function timelineRows(events: RunEvent[], limit = 300): TimelineRow[] {
  const start = Math.max(0, events.length - limit)
  return events.slice(start).map((e, i) => ({
    key: start + i,
    at: `${(e.atMs / 1000).toFixed(3)} s`,
    text: describeEvent(e),
    tone: e.kind === 'error' || e.kind === 'warning' ? 'error' : e.kind === 'selected-pair' || e.kind === 'channel-open' ? 'good' : 'normal'
  }))
}

export interface RttSummary {
  p50: number
  p95: number
  jitter: number
}

/** p50, p95 and jitter (mean absolute difference of consecutive samples, as RFC 3550 smooths it). */
export function rttSummary(samples: number[]): RttSummary | undefined {
  if (samples.length === 0) return undefined
  const sorted = [...samples].sort((a, b) => a - b)
  let diff = 0
  for (let i = 1; i < samples.length; i++) diff += Math.abs(samples[i]! - samples[i - 1]!)
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), jitter: samples.length > 1 ? diff / (samples.length - 1) : 0 }
}

export interface MetricCard {
  label: string
  value: string
  detail: string
  /** A sparkline over time (RTT, jitter). */
  series: Array<number | null>
  /** A small bar chart comparing values (throughput each way, direct against relay). */
  bars: Array<{ label: string; value: number }>
}

/** Differences between consecutive samples: how jitter moved over the probes. */
export function jitterSeries(samples: Array<number | null>): Array<number | null> {
  const out: Array<number | null> = []
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]
    const b = samples[i]
    out.push(a === null || a === undefined || b === null || b === undefined ? null : Math.abs(b - a))
  }
  return out
}

function bars(entries: Array<[string, number | null | undefined]>): MetricCard['bars'] {
  return entries.filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])).map(([label, value]) => ({ label, value }))
}

function measured(m: PathMeasurementLike | null | undefined): m is PathMeasurementLike {
  return Boolean(m)
}

/** Path metrics from the report's measurements when the core made them, else from the live probes. */
export function metricCards(s: LiveSession): MetricCard[] {
  const paths = pathsOf(s.report)
  const liveMetric = s.pathMetrics.direct ?? s.pathMetrics.relay
  const fromLive: PathMeasurementLike | undefined = liveMetric
    ? { path: liveMetric.path, lossPercent: liveMetric.lossPercent, jitterMs: liveMetric.jitterMs, rtt: liveMetric.rttP50Ms === null ? null : { p50Ms: liveMetric.rttP50Ms, p95Ms: NaN } }
    : undefined
  const main = [paths?.direct, paths?.relay].find(measured) ?? fromLive
  const probeRtts = s.probes.map((p) => p.rttMs)
  const live = rttSummary(probeRtts)
  const rttSeries = main?.rttSamplesMs ?? probeRtts
  const p50 = main?.rtt?.p50Ms ?? live?.p50
  const p95 = main?.rtt && Number.isFinite(main.rtt.p95Ms) ? main.rtt.p95Ms : live?.p95
  const jitter = main?.jitterMs ?? live?.jitter
  const source = main ? `${main.path} path` : live ? `${probeRtts.length} data-channel probes` : ''
  const loss =
    main?.lossPercent !== undefined
      ? `${main.lossPercent.toFixed(1)} %`
      : 'not measured'
  const up = main?.throughput?.hostToJoinBps
  const down = main?.throughput?.joinToHostBps
  const overhead = paths?.overhead
  const directP50 = paths?.direct?.rtt?.p50Ms
  const relayP50 = paths?.relay?.rtt?.p50Ms
  return [
    { label: 'RTT p50 / p95', value: p50 === undefined ? 'not measured' : `${ms(p50)} / ${ms(p95)}`, detail: source, series: rttSeries, bars: [] },
    { label: 'Jitter', value: jitter === undefined || jitter === null ? 'not measured' : ms(jitter), detail: source, series: jitterSeries(rttSeries), bars: [] },
    { label: 'Loss', value: loss, detail: main?.probesSent !== undefined ? `${main.probesReceived ?? 0} of ${main.probesSent} probes answered` : source, series: [], bars: [] },
    {
      label: 'Throughput',
      value: up === undefined && down === undefined ? 'not measured' : `${bitsPerSecond(up)} / ${bitsPerSecond(down)}`,
      detail: up === undefined && down === undefined ? '' : 'host → join / join → host',
      series: [],
      bars: bars([
        ['host → join', up],
        ['join → host', down]
      ])
    },
    {
      label: 'Relay overhead',
      value: overhead ? `${overhead.extraRttMs === null ? '?' : `+${ms(overhead.extraRttMs)}`} RTT` : 'not measured',
      detail: overhead?.throughputRatio ? `relay throughput ${(overhead.throughputRatio * 100).toFixed(0)} % of direct` : '',
      series: [],
      bars: directP50 !== undefined && relayP50 !== undefined ? bars([
        ['direct RTT', directP50],
        ['relay RTT', relayP50]
      ]) : []
    }
  ]
}

/** An SVG path for a sparkline; lost samples (null) break the line. */
export function sparklinePath(series: Array<number | null>, width: number, height: number): string {
  const values = series.filter((v): v is number => v !== null && Number.isFinite(v))
  if (values.length === 0) return ''
  const max = Math.max(...values)
  const min = Math.min(...values)
  const span = max - min || 1
  const step = series.length > 1 ? width / (series.length - 1) : 0
  let d = ''
  let pen = false
  series.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false
      return
    }
    const x = series.length > 1 ? i * step : width / 2
    const y = height - 1 - ((v - min) / span) * (height - 2)
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)} `
    pen = true
  })
  return d.trim()
}

/** A few lines for a ticket or a chat: what happened and why. */
export function summaryText(s: LiveSession, natLocal: NatResult | NatSummary | undefined, natRemote: NatResult | NatSummary | undefined): string {
  const v = verdictView(s)
  const p = pathView(s.selected)
  const lines = [
    `peerlens: ${v.title}`,
    v.reason ? `Why: ${v.reason}` : '',
    v.prediction ? `${v.prediction.title}: ${v.prediction.reason}${v.prediction.disagrees ? ' (differs from the outcome)' : ''}` : '',
    p.kind !== 'none' ? `Path: ${p.local} ↔ ${p.remote}${p.relay ? ` via relay ${p.relay}` : ''}` : '',
    `This side (${s.role}): ${natLocal ? `${natCardView(natLocal).title}, mapping ${natLocal.mapping}, filtering ${natLocal.filtering}` : 'NAT not measured'}`,
    `Other side: ${natRemote ? `${natCardView(natRemote).title}, mapping ${natRemote.mapping}, filtering ${natRemote.filtering}` : 'NAT not measured'}`,
    `Candidates: ${s.local.length} local, ${s.remote.length} remote; pairs: ${s.pairs.length}`,
    s.report?.connection.rttMs !== undefined && s.report?.connection.rttMs !== null ? `RTT: ${ms(s.report.connection.rttMs)}` : ''
  ]
  return lines.filter(Boolean).join('\n') + '\n'
}
