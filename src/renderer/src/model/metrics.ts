// The path metrics cards: RTT, jitter, loss, throughput and the relay's overhead, with the series
// their small charts draw.
import type { PathMeasurement, RttStats } from '../../../shared/report'
import { msMeasured as ms, rate } from '../../../shared/format'

/** Throughput in bytes per second, the one unit of the app and the reports (MB/s, src/shared/format's rate). */
function throughput(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond === null || bytesPerSecond === undefined ? 'not measured' : rate(bytesPerSecond)
}
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
  Partial<Pick<PathMeasurement, 'probesSent' | 'probesReceived' | 'rttSamplesMs' | 'throughput'>> & { rtt: Pick<RttStats, 'p50Ms' | 'p95Ms'> | null }

function measured(m: PathFigures | null | undefined): m is PathFigures {
  return Boolean(m)
}

/** Path metrics from the report's measurements when the core made them, else from the live probes. */
export function metricCards(s: LiveSession): MetricCard[] {
  const paths = s.report?.paths
  const liveMetric = s.pathMetrics.direct ?? s.pathMetrics.relay
  const fromLive: PathFigures | undefined = liveMetric
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
      value: up === undefined && down === undefined ? 'not measured' : `${throughput(up)} / ${throughput(down)}`,
      detail: up === undefined && down === undefined ? '' : 'host → joiner / joiner → host',
      series: [],
      bars: bars([
        ['host → joiner', up],
        ['joiner → host', down]
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

/** Nearest rank, as the engine computes its p50 and p95 (src/core/measure/rtt.ts). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}
