import type { PathMeasurement } from '../../shared/report'
import { PING_INTERVAL_MS } from '../../shared/protocol/timings'
import type { PingSample } from '../measure/rtt'
import { ECHO_PLAN } from '../../shared/measure/echoStats'
import { runEchoTrain } from '../measure/echoTrain'
import { rawDatagrams } from '../werift/rawDatagrams'
import { measureThroughput, type DirectionResult } from '../measure/throughput'
import { attachUdpRate } from '../measure/udpRateTrain'
import { measureUdpPath, udpOff } from '../measure/udpRatePath'
import type { Attempt, NewEvent } from './attempt'
import type { ProbeChannel } from './probeChannel'
import { gapWarnings, pathMeasurement, probeSamples, type PathProbes } from './records'

/** A ping without an echo within this long counts as lost. */
const PING_WAIT_MS = 1_000
/** The throughput window per direction (like `iperf3 -t`), unless the session says otherwise. */
export const DEFAULT_WINDOW_S = 2
/** Not counted before each window (iperf3 --omit): slow start and the first loss recovery. */
export const WARMUP_S = 0.5
export const throughputMethod = (warmupS = WARMUP_S): string => `data channel (SCTP), payload counted by the receiver over a fixed window after a ${warmupS} s warm-up, each direction in turn`
/** The whole throughput measurement of a session (both paths, both ways), unless the session says otherwise (--measure-seconds). */
export const DEFAULT_MEASURE_S = 8.5
/** With UDP probes, the data channel's own figure: on the chosen path only, a short window. */
const DATA_CHANNEL_WINDOW_S = 0.6
const DATA_CHANNEL_WARMUP_S = 0.3
/** Most time one direction's UDP rate search may take. */
const MAX_DIRECTION_MS = 2_500
/**
 * The other path's time per direction, as a share of the chosen path's. It searches no steps under
 * capacity, but its confirm step must stay long enough (several 50 ms windows after the bottleneck's
 * token bucket has drained) for the median to read the path, not the burst: a short one read 12 % high.
 */
const OTHER_PATH_SHARE = 0.7
/** What the next path's echo train and hand-over take before its own rate search (kept for it). */
const NEXT_PATH_PINGS_MS = 900
/** The data channel's figure each way on the chosen path: two windows with their warm-ups, and the hand-over. */
const DATA_CHANNEL_MS = 2 * (DATA_CHANNEL_WINDOW_S + DATA_CHANNEL_WARMUP_S) * 1000 + 300

export interface MeterHost {
  now(): number
  emit(event: NewEvent): void
  /** This side drives the throughput test (the host; the joiner answers). */
  host(): boolean
  probes(): number
  /** The other side answers UDP echo trains on the selected pair (it announced 'udp-probes'). */
  udpProbes?(): boolean
  /** Bytes each way per path for the throughput test; 0: not measured. */
  throughputBytes(): number
  /** Why throughput is not measured when throughputBytes() is 0 (off, or the other side cannot). */
  throughputOff?(): string
  /** The throughput window per direction, seconds. */
  throughputSeconds?(): number
  /** Resolves when the other side has finished its own measuring (its CPU is then free to count), or after a bound. */
  peerSettled?(): Promise<void>
  /** The time budget of the whole throughput measurement, seconds (both paths, both ways). */
  measureSeconds?(): number
  /** Another path (the relay attempt) is still to be measured after attempt `current`. */
  morePaths?(current: number): boolean
}

type Figures = Pick<PathMeasurement, 'throughput' | 'udp' | 'dataChannel'>

/**
 * Measures each path once: pings (RTT, loss, jitter, gaps), then throughput, and keeps the results by
 * attempt. Paths take turns (one path's pings never share the link with another's bulk transfer, and
 * two transfers never share the CPU); within a path, each direction in turn.
 */
export class PathMeter {
  readonly paths = new Map<number, PathMeasurement>()
  /** The chosen path's pings: the clock offset is estimated from them. */
  offsets: PingSample[] = []
  private turn: Promise<unknown> = Promise.resolve()
  /** When the first path's measurement started (the budget counts from there). */
  private budgetStart: number | undefined

  constructor(private readonly o: MeterHost) {}

  measure(attempt: Attempt, probe: ProbeChannel, chosen: boolean): Promise<void> {
    if (this.paths.has(attempt.id)) return Promise.resolve()
    this.budgetStart ??= performance.now()
    const job = this.turn.then(() => this.measureNow(attempt, probe, chosen))
    this.turn = job.catch(() => undefined)
    return job
  }

  private async measureNow(attempt: Attempt, probe: ProbeChannel, chosen: boolean): Promise<void> {
    if (this.paths.has(attempt.id)) return
    const probes = await this.probe(attempt, probe)
    const samples = probeSamples(probes)
    if (chosen) this.offsets = samples
    attempt.readSelected()
    const figures = this.o.host() ? await this.throughput(attempt, probe, chosen) : undefined
    const m = { ...pathMeasurement(attempt, probes, figures?.throughput), ...(figures?.udp ? { udp: figures.udp } : {}), ...(figures?.dataChannel ? { dataChannel: figures.dataChannel } : {}) }
    this.paths.set(attempt.id, m)
    const toSessionMs = (wall: number): number => this.o.now() - (Date.now() - wall)
    // An echo train's gap is 100 ms without answers; its single losses are loss.
    const minLost = Array.isArray(probes) || 'pings' in probes ? 1 : Math.ceil(100 / probes.echo.plan.spacingMs)
    for (const message of gapWarnings(samples, m.path, toSessionMs, minLost)) this.o.emit({ kind: 'warning', message })
    this.o.emit({ kind: 'path-metrics', path: m.path, rttP50Ms: m.rtt?.p50Ms ?? null, lossPercent: m.lossPercent, jitterMs: m.jitterMs })
  }

  /** RTT, loss and jitter: a UDP echo train on the selected pair when the other side answers one, else data-channel pings. */
  private async probe(attempt: Attempt, probe: ProbeChannel): Promise<PathProbes> {
    const raw = this.o.udpProbes?.() ? rawDatagrams(attempt.pc) : undefined
    const train = raw ? await runEchoTrain(probe.dc, raw, ECHO_PLAN).catch(() => undefined) : undefined
    if (train) {
      // A few of its round trips for the live view (the report keeps them all).
      const got = train.samples.filter((s) => s.receivedMs !== null)
      for (let i = 0; i < got.length; i += Math.ceil(got.length / 20)) this.o.emit({ kind: 'probe', rttMs: Math.round((got[i]!.receivedMs! - got[i]!.sentMs) * 100) / 100 })
      return { echo: train, initiator: this.o.host() ? 'host' : 'join' }
    }
    const pings = await probe.ping(this.o.probes(), PING_INTERVAL_MS, PING_WAIT_MS)
    return raw ? { pings, method: 'pings on the data channel (the UDP echo train got no answer)' } : pings
  }

  /**
   * Each way over one path (the host drives, the joiner answers), one direction after the other: with
   * a peer that speaks udp-probes, paced UDP on the selected pair (the path's capacity and the highest
   * rate under 1 % loss), and the data channel's figure on the chosen path; else the data channel.
   */
  private async throughput(attempt: Attempt, probe: ProbeChannel, chosen: boolean): Promise<Figures | undefined> {
    const bytes = this.o.throughputBytes()
    if (bytes <= 0) {
      const off = this.o.throughputOff?.() ?? 'turned off'
      return { throughput: { hostToJoinBps: null, joinToHostBps: null, bytes: 0, off }, ...(this.o.udpProbes?.() ? { udp: udpOff(off) } : {}) }
    }
    if (!probe.open) return undefined
    await this.o.peerSettled?.()
    this.budgetStart ??= performance.now()
    const udp = this.o.udpProbes?.()
    const dataChannel = (seconds: number, warmup: number): Promise<NonNullable<PathMeasurement['throughput']>> => this.dataChannel(probe, bytes, seconds, warmup)
    if (!udp) {
      const t = await dataChannel(this.o.throughputSeconds?.() ?? DEFAULT_WINDOW_S, WARMUP_S)
      this.o.emit({ kind: 'throughput', attempt: attempt.id, hostToJoinMBps: mbps(t.hostToJoinBps), joinToHostMBps: mbps(t.joinToHostBps) })
      return { throughput: t }
    }
    const totalMs = (this.o.measureSeconds?.() ?? DEFAULT_MEASURE_S) * 1000
    const left = (): number => totalMs - (performance.now() - this.budgetStart!)
    // This path leaves about half for a path still to come (its pings first); the last one gets what is left.
    const more = this.o.morePaths?.(attempt.id) ?? false
    // The chosen path keeps room for the data channel's own figure (beside the UDP one, it tells a
    // slow stack from a lossy path), taken after its rate search.
    const reserve = chosen ? DATA_CHANNEL_MS : 0
    // The highest rate under 1 % loss is searched on the path the session uses; another path gets
    // its capacity only (for the relay's cost), with a longer confirm step in the same time.
    const share = chosen && more ? 2 + 2 * OTHER_PATH_SHARE : 2
    const msPerDirection = Math.max(0, Math.min(MAX_DIRECTION_MS, more ? (left() - reserve - NEXT_PATH_PINGS_MS) / share : (left() - reserve) / 2))
    const endpoint = attachUdpRate(probe.dc, () => rawDatagrams(attempt.pc))
    const r = await measureUdpPath(endpoint, { bytes, msPerDirection, underSteps: chosen })
    // The data channel's figure on the chosen path where the budget has room for it after the paths
    // still to come, and on any path whose UDP figure is missing (never missing: it stands in).
    const room = left() - (more ? NEXT_PATH_PINGS_MS + 2 * OTHER_PATH_SHARE * msPerDirection : 0)
    const dc = (chosen && room >= DATA_CHANNEL_MS * 0.8) || !r.measured ? await dataChannel(DATA_CHANNEL_WINDOW_S, DATA_CHANNEL_WARMUP_S) : undefined
    // Never missing: without a UDP figure (the pair drops the probes), the data channel's stands in.
    const throughput = r.measured || !dc ? r.throughput : dc
    this.o.emit({ kind: 'throughput', attempt: attempt.id, hostToJoinMBps: mbps(throughput.hostToJoinBps), joinToHostMBps: mbps(throughput.joinToHostBps) })
    // The UDP rate under 1 % loss belongs to the path the session uses (the other one measured its capacity only).
    return { throughput, ...(chosen ? { udp: r.udp } : {}), ...(dc ? { dataChannel: dc } : {}) }
  }

  /** The data channel's figure each way: a bulk transfer over SCTP, receiver-timed windows. */
  private async dataChannel(probe: ProbeChannel, bytes: number, seconds: number, warmup: number): Promise<NonNullable<PathMeasurement['throughput']>> {
    const measure = (direction: 'send' | 'receive'): Promise<DirectionResult | null> =>
      measureThroughput(probe.dc, { direction, bytes, seconds, omitSeconds: warmup }).then(
        (r) => r[direction] ?? null,
        () => null
      )
    const up = await measure('send')
    const down = await measure('receive')
    return throughputRecord(bytes, seconds, up, down, warmup)
  }
}

const mbps = (bps: number | null): number | null => (bps === null ? null : Math.round(bps / 10_000) / 100)

/** The report's throughput record from the two directions' results. */
export function throughputRecord(bytes: number, seconds: number, up: DirectionResult | null, down: DirectionResult | null, warmupS = WARMUP_S): NonNullable<PathMeasurement['throughput']> {
  const bps = (r: DirectionResult | null): number | null => (r && r.ms > 0 ? Math.round(r.bytes / (r.ms / 1000)) : null)
  return {
    hostToJoinBps: bps(up),
    joinToHostBps: bps(down),
    bytes,
    ...(up ? { hostToJoinMs: up.ms, hostToJoinBytes: up.bytes, messageBytes: up.messageSize } : {}),
    ...(down ? { joinToHostMs: down.ms, joinToHostBytes: down.bytes } : {}),
    windowMs: Math.round(seconds * 1000),
    method: throughputMethod(warmupS)
  }
}
