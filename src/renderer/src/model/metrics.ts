// The path metrics cards: RTT, jitter, loss, throughput (with its window and the UDP rate) and the
// relay's overhead, with the series their small charts draw.
import type { PathMeasurement, PathMeasurements, RttStats } from '../../../shared/report'
import { bits, bitsPerSecond, byteCount, msMeasured as ms, percentOf, relayOverhead, RFC3550 } from '../../../shared/format'

type Throughput = NonNullable<PathMeasurement['throughput']>
import type { LiveSession } from './liveSession'

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
  /** Further lines under the detail (the window and bytes, the UDP rate, the data channel). */
  more?: string[]
  /** Where the user can change what made the card say "off" (no dead end). */
  action?: 'settings'
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

/** What the cards read of a path: the report's measurement, or the live path-metrics event. */
type PathFigures = Pick<PathMeasurement, 'path' | 'jitterMs' | 'lossPercent'> &
  Partial<Pick<PathMeasurement, 'probesSent' | 'probesReceived' | 'rttSamplesMs' | 'throughput' | 'dataChannel' | 'udp' | 'jitter' | 'probeMethod'>> & { rtt: Pick<RttStats, 'p50Ms' | 'p95Ms'> | null }

function measured(m: PathFigures | null | undefined): m is PathFigures {
  return Boolean(m)
}

const EACH_WAY = 'host → joiner / joiner → host'

function pair(a: string, b: string): string {
  return a === b ? a : `${a} / ${b}`
}

/** "2.0 s window each way, 2.4 MB / 2.3 MB". */
function windowLine(t: Throughput): string | null {
  const ms = [t.hostToJoinMs, t.joinToHostMs]
  const sizes = [t.hostToJoinBytes, t.joinToHostBytes]
  const window = ms.some((v) => v !== undefined) ? `${pair(...(ms.map((v) => (v === undefined ? '-' : `${(v / 1000).toFixed(1)} s`)) as [string, string]))} window` : t.windowMs !== undefined ? `${(t.windowMs / 1000).toFixed(1)} s window` : ''
  const got = sizes.some((v) => v !== undefined) ? `${byteCount(sizes[0])} / ${byteCount(sizes[1])}` : ''
  const line = [window ? `${window} each way, one after the other` : '', got].filter(Boolean).join(', ')
  return line || null
}

/** The throughput card of one path: the rate each way, its window and bytes, the UDP rate under 1 % loss, the data channel. */
function throughputCard(p: PathFigures, label: string): MetricCard {
  const t = p.throughput!
  if (t.off) {
    const byUser = /^turned off/.test(t.off)
    return { label, value: 'off', detail: t.off, more: byUser ? ['Settings can turn it on (or cap it in MB)'] : [], ...(byUser ? { action: 'settings' as const } : {}), series: [], bars: [] }
  }
  const more = [windowLine(t), t.method ?? null]
  const u = p.udp && !p.udp.off ? p.udp : null
  if (u) more.push(`UDP under 1 % loss: ${bits(u.hostToJoin?.maxRateBps)} / ${bits(u.joinToHost?.maxRateBps)}${u.hostToJoin?.capacityBps || u.joinToHost?.capacityBps ? ` (capacity ${bits(u.hostToJoin?.capacityBps)} / ${bits(u.joinToHost?.capacityBps)})` : ''}`)
  else if (p.udp?.off) more.push(`UDP rate: off, ${p.udp.off}`)
  const dc = p.dataChannel && !p.dataChannel.off ? p.dataChannel : null
  if (dc) more.push(`data channel: ${bits(dc.hostToJoinBps)} / ${bits(dc.joinToHostBps)}`)
  return {
    label,
    value: `${bitsPerSecond(t.hostToJoinBps)} / ${bitsPerSecond(t.joinToHostBps)}`,
    detail: EACH_WAY,
    more: more.filter((m): m is string => !!m),
    series: [],
    bars: bars([
      ['host → joiner', t.hostToJoinBps],
      ['joiner → host', t.joinToHostBps],
      ...(u ? ([['UDP <1 % loss, host → joiner', u.hostToJoin?.maxRateBps], ['UDP <1 % loss, joiner → host', u.joinToHost?.maxRateBps]] as Array<[string, number | null | undefined]>) : [])
    ])
  }
}

function jitterCard(main: PathFigures | undefined, live: RttSummary | undefined, series: Array<number | null>, source: string): MetricCard {
  if (main?.jitter) {
    return { label: 'Jitter (RFC 3550)', value: pair(ms(main.jitter.hostToJoinMs), ms(main.jitter.joinToHostMs)), detail: `${RFC3550}, ${EACH_WAY}`, series: jitterSeries(series), bars: [] }
  }
  const jitter = main?.jitterMs ?? live?.jitter
  return { label: 'Jitter', value: jitter === undefined || jitter === null ? 'not measured' : ms(jitter), detail: jitter === undefined || jitter === null ? source : `${source}: round-trip jitter (mean change between pings, not RFC 3550)`, series: jitterSeries(series), bars: [] }
}

function overheadCard(paths: PathMeasurements | undefined): MetricCard {
  const o = relayOverhead(paths)
  const d = paths?.direct
  const r = paths?.relay
  if (!o) return { label: 'Relay overhead', value: 'not measured', detail: 'needs both the direct and the relay path measured', series: [], bars: [] }
  const shares = [o.hostToJoin, o.joinToHost].map((x) => (x === null ? '-' : percentOf(x))) as [string, string]
  const tput = shares.some((x) => x !== '-') ? `relay throughput ${pair(...shares)} of direct` : ''
  const dt = d?.throughput && !d.throughput.off ? d.throughput : null
  const rt = r?.throughput && !r.throughput.off ? r.throughput : null
  return {
    label: 'Relay overhead',
    value: o.extraRttMs !== null ? `+${ms(o.extraRttMs)} RTT` : tput,
    detail: o.extraRttMs !== null ? tput : '',
    more: tput && shares[0] !== shares[1] ? [EACH_WAY] : [],
    series: [],
    bars:
      dt && rt
        ? bars([
            ['direct, host → joiner', dt.hostToJoinBps],
            ['relay, host → joiner', rt.hostToJoinBps]
          ])
        : d?.rtt && r?.rtt
          ? bars([
              ['direct RTT', d.rtt.p50Ms],
              ['relay RTT', r.rtt.p50Ms]
            ])
          : []
  }
}

/** Path metrics from the report's measurements when the core made them, else from the live probes. */
export function metricCards(s: LiveSession): MetricCard[] {
  const paths = s.report?.paths
  const liveMetric = s.pathMetrics.direct ?? s.pathMetrics.relay
  const fromLive: PathFigures | undefined = liveMetric
    ? { path: liveMetric.path, lossPercent: liveMetric.lossPercent, jitterMs: liveMetric.jitterMs, rtt: liveMetric.rttP50Ms === null ? null : { p50Ms: liveMetric.rttP50Ms, p95Ms: NaN } }
    : undefined
  const reported = [paths?.direct, paths?.relay].filter((p): p is PathMeasurement => measured(p))
  const main = reported[0] ?? fromLive
  const probeRtts = s.probes.map((p) => p.rttMs)
  const live = rttSummary(probeRtts)
  const rttSeries = main?.rttSamplesMs ?? probeRtts
  const p50 = main?.rtt?.p50Ms ?? live?.p50
  const p95 = main?.rtt && Number.isFinite(main.rtt.p95Ms) ? main.rtt.p95Ms : live?.p95
  const source = main ? `${main.path} path` : live ? `${probeRtts.length} data-channel probes` : ''
  const loss = main?.lossPercent !== undefined ? `${main.lossPercent.toFixed(1)} %` : 'not measured'
  const withThroughput = reported.filter((p) => p.throughput)
  const tputCards = withThroughput.length
    ? withThroughput.map((p) => throughputCard(p, withThroughput.length > 1 ? `Throughput, ${p.path} path` : 'Throughput'))
    : [{ label: 'Throughput', value: 'not measured', detail: '', series: [], bars: [] }]
  return [
    { label: 'RTT p50 / p95', value: p50 === undefined ? 'not measured' : `${ms(p50)} / ${ms(p95)}`, detail: source, series: rttSeries, bars: [] },
    jitterCard(main, live, rttSeries, source),
    {
      label: 'Loss',
      value: loss,
      detail: main?.probesSent !== undefined ? `${main.probesReceived ?? 0} of ${main.probesSent} probes answered${main.probeMethod ? ` (${main.probeMethod})` : ''}` : source,
      series: [],
      bars: []
    },
    ...tputCards,
    overheadCard(paths)
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

/** Nearest rank, as the engine computes its p50 and p95 (src/core/measure/rtt.ts). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}
