// A path's measurements as words, the one wording the report (text, Markdown, HTML), the CLI's result
// and the dashboard use: throughput each way with its window and bytes, the UDP rate under 1 % loss,
// loss with its probe count, RTT percentiles, jitter said as what it is, and the relay's overhead.
import type { PathMeasurement, PathMeasurements, UdpRate, UdpRateDirection } from '../report'
import { bitsPerSecond, ms, seconds } from './units'

type Throughput = NonNullable<PathMeasurement['throughput']>
type Direction = 'hostToJoin' | 'joinToHost'

export const DIRECTIONS: ReadonlyArray<{ key: Direction; label: string }> = [
  { key: 'hostToJoin', label: 'host→joiner' },
  { key: 'joinToHost', label: 'joiner→host' }
]

export const RFC3550 = 'RFC 3550 interarrival jitter'

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** "2.3 MB", "640 kB", "900 B" (decimal units, as the rates). */
export function byteCount(bytes: number | null | undefined): string {
  if (!finite(bytes)) return '-'
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`
  return `${Math.round(bytes)} B`
}

/** "9.4 Mbit/s", "-" when there is no figure (a rate in a sentence, where "not measured" would not read). */
export function bits(bytesPerSecond: number | null | undefined): string {
  return finite(bytesPerSecond) ? bitsPerSecond(bytesPerSecond) : '-'
}

/** Bytes per second of one direction, and its window and bytes when the record has them. */
export function throughputDirection(t: Throughput, key: Direction): { bps: number | null; ms: number | undefined; bytes: number | undefined } {
  return { bps: t[`${key}Bps`], ms: t[`${key}Ms`], bytes: t[`${key}Bytes`] }
}

/** "9.4 Mbit/s host→joiner (2.0 s, 2.3 MB)"; "no figure host→joiner" when that direction failed. */
export function throughputDirectionText(t: Throughput, key: Direction, label: string): string {
  const d = throughputDirection(t, key)
  if (!finite(d.bps)) return `no figure ${label}`
  const window = [finite(d.ms) ? `${(d.ms / 1000).toFixed(1)} s` : '', finite(d.bytes) ? byteCount(d.bytes) : ''].filter(Boolean).join(', ')
  return `${bitsPerSecond(d.bps)} ${label}${window ? ` (${window})` : ''}`
}

/** Both directions, "off: <why>" when it was turned off or the other side cannot; null when there is no record. */
export function throughputText(t: Throughput | null | undefined): string | null {
  if (!t) return null
  if (t.off) return `off: ${t.off}`
  return DIRECTIONS.map((d) => throughputDirectionText(t, d.key, d.label)).join(', ')
}

/** "one direction after the other (independent figures), 2.0 s window, at most 4.2 MB each way; <method>". */
export function throughputHow(t: Throughput | null | undefined): string | null {
  if (!t || t.off) return null
  const each = [finite(t.windowMs) ? `${(t.windowMs / 1000).toFixed(1)} s window` : '', t.bytes > 0 ? `at most ${byteCount(t.bytes)}` : ''].filter(Boolean).join(', ')
  const parts = [`one direction after the other (independent figures)${each ? `, ${each} each way` : ''}`, t.method ?? '']
  return parts.filter(Boolean).join('; ')
}

/** The UDP rate of one direction: "9.6 Mbit/s host→joiner (capacity 9.7 Mbit/s)"; what it means when even the lowest step lost too much. */
export function udpDirectionText(d: UdpRateDirection | null, label: string): string {
  if (!d) return `no figure ${label}`
  const capacity = finite(d.capacityBps) ? ` (capacity ${bitsPerSecond(d.capacityBps)})` : ''
  if (!finite(d.maxRateBps)) {
    const lowest = lowestStep(d)
    return `none ${label}: even ${lowest ? `${bitsPerSecond(lowest.offeredBps)} lost ${lowest.lossPercent} %` : 'the lowest rate lost 1 % or more'}${capacity}`
  }
  return `${bitsPerSecond(d.maxRateBps)} ${label}${capacity}`
}

/** The step sent at the lowest rate (the steps climb, but a peer may send them in any order). */
export function lowestStep(d: UdpRateDirection): UdpRateDirection['steps'][number] | undefined {
  let low: UdpRateDirection['steps'][number] | undefined
  for (const s of d.steps) if (!low || s.offeredBps < low.offeredBps) low = s
  return low
}

/** "highest rate under 1 % loss: 9.6 Mbit/s host→joiner (capacity 9.7 Mbit/s), ..."; "off: <why>". */
export function udpText(u: UdpRate | null | undefined): string | null {
  if (!u) return null
  if (u.off) return `off: ${u.off}`
  return DIRECTIONS.map((d) => udpDirectionText(u[d.key], d.label)).join(', ')
}

export function udpHow(u: UdpRate | null | undefined): string | null {
  if (!u || u.off) return null
  return [u.method, finite(u.packetBytes) ? `${u.packetBytes}-byte packets` : ''].filter(Boolean).join('; ')
}

/** "0.4 % of 500 (UDP echo train on the selected pair)". */
export function lossText(p: PathMeasurement): string {
  const oneWay = p.lossOneWay ? `; ${Number(p.lossOneWay.hostToJoinPercent.toFixed(2))} % host→joiner, ${Number(p.lossOneWay.joinToHostPercent.toFixed(2))} % joiner→host` : ''
  return `${Number(p.lossPercent.toFixed(2))} % of ${p.probesSent}${p.probeMethod ? ` (${p.probeMethod})` : ' pings on the data channel'}${oneWay}`
}

export function rttText(p: PathMeasurement): string | null {
  return p.rtt ? `p50 ${ms(p.rtt.p50Ms)}, p95 ${ms(p.rtt.p95Ms)}` : null
}

/**
 * "RFC 3550 interarrival jitter: 0.3 ms host→joiner, 0.4 ms joiner→host"; an older report's figure
 * is the mean change between consecutive round trips, and says so.
 */
export function jitterText(p: PathMeasurement): string | null {
  if (p.jitter) return `${RFC3550}: ${DIRECTIONS.map((d) => `${ms(p.jitter![`${d.key}Ms`])} ${d.label}`).join(', ')}`
  if (finite(p.jitterMs)) return `${ms(p.jitterMs)} round trip (mean change between consecutive pings, not RFC 3550)`
  return null
}

/** What the relay costs: extra round trip, and the relay's throughput as a share of the direct path's, each way. */
export interface RelayOverhead {
  extraRttMs: number | null
  hostToJoin: number | null
  joinToHost: number | null
}

function ratio(relay: number | null | undefined, direct: number | null | undefined): number | null {
  return finite(relay) && finite(direct) && direct > 0 ? relay / direct : null
}

/**
 * The overhead whenever both paths carry a figure: computed from the two throughput records each way
 * (so a report whose `overhead` lacks the ratio still shows it), else the record's own values.
 */
export function relayOverhead(paths: PathMeasurements | null | undefined): RelayOverhead | null {
  const d = paths?.direct
  const r = paths?.relay
  const o = paths?.overhead
  const dt = d?.throughput?.off ? null : d?.throughput
  const rt = r?.throughput?.off ? null : r?.throughput
  const hostToJoin = ratio(rt?.hostToJoinBps, dt?.hostToJoinBps) ?? (finite(o?.throughputRatio) ? o.throughputRatio : null)
  const joinToHost = ratio(rt?.joinToHostBps, dt?.joinToHostBps)
  const extraRttMs = finite(o?.extraRttMs) ? o.extraRttMs : d?.rtt && r?.rtt ? Math.round((r.rtt.p50Ms - d.rtt.p50Ms) * 100) / 100 : null
  if (extraRttMs === null && hostToJoin === null && joinToHost === null) return null
  return { extraRttMs, hostToJoin, joinToHost }
}

export function percentOf(share: number): string {
  return `${share >= 0.095 ? Math.round(share * 100) : Number((share * 100).toFixed(1))} %`
}

/** "+29.1 ms round trip; relay throughput 3 % of direct host→joiner, 4 % joiner→host". */
export function overheadText(o: RelayOverhead): string {
  const rtt = o.extraRttMs !== null ? `${o.extraRttMs >= 0 ? '+' : ''}${ms(o.extraRttMs)} round trip` : ''
  const shares = DIRECTIONS.filter((d) => o[d.key] !== null).map((d, i) => `${percentOf(o[d.key]!)}${i === 0 ? ' of direct' : ''} ${d.label}`)
  const tput = shares.length ? `relay throughput ${shares.join(', ')}` : ''
  return [rtt, tput].filter(Boolean).join('; ')
}

/** One path as label/value rows, in the order every rendering shows them; rows without a value are left out. */
export function pathRows(p: PathMeasurement): Array<[string, string]> {
  const rows: Array<[string, string | null]> = [
    ['throughput', throughputText(p.throughput)],
    ['measured', throughputHow(p.throughput)],
    ['data channel', p.dataChannel ? throughputText(p.dataChannel) : null],
    ['UDP under 1 % loss', udpText(p.udp)],
    ['UDP method', udpHow(p.udp)],
    ['loss', p.probesSent > 0 ? lossText(p) : null],
    ['round trip', rttText(p)],
    ['jitter', jitterText(p)]
  ]
  if (!p.rtt && p.error) rows.unshift(['error', p.error])
  return rows.filter((r): r is [string, string] => r[1] !== null)
}

/** The paths a report measured, direct first. */
export function measuredPaths(paths: PathMeasurements | null | undefined): PathMeasurement[] {
  return [paths?.direct, paths?.relay].filter((p): p is PathMeasurement => !!p)
}

/**
 * The lines the CLI prints under its result and `peerlens show` prints: per path its throughput each
 * way with the window, the UDP rate, loss, RTT and jitter; then the relay overhead when both paths were measured.
 */
export function pathSummaryLines(paths: PathMeasurements | null | undefined): string[] {
  const out: string[] = []
  for (const p of measuredPaths(paths)) {
    out.push(`${p.path} path:${!p.rtt && p.error ? ` ${p.error}` : ''}`)
    for (const [label, value] of pathRows(p)) if (label !== 'error') out.push(`  ${label}: ${value}`)
  }
  const o = relayOverhead(paths)
  if (o) out.push(`relay overhead: ${overheadText(o)}`)
  return out
}

/**
 * "verdict after 0.52 s; measurements done after 7.9 s": when the writer knew the path it uses and
 * when its measurements ended, on its own clock; only what the report has, null when it has neither
 * (an older report, or a session that ended before its verdict).
 */
export function verdictTimingText(c: { verdictAfterMs?: number; measuredAfterMs?: number }): string | null {
  const parts = [
    finite(c.verdictAfterMs) ? `verdict after ${seconds(c.verdictAfterMs)}` : '',
    finite(c.measuredAfterMs) ? `measurements done after ${seconds(c.measuredAfterMs)}` : ''
  ].filter(Boolean)
  return parts.length ? parts.join('; ') : null
}
