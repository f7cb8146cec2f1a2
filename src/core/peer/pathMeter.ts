import type { PathMeasurement } from '../../shared/report'
import { PING_INTERVAL_MS } from '../../shared/protocol/timings'
import type { PingSample } from '../measure/rtt'
import { ECHO_PLAN } from '../../shared/measure/echoStats'
import { runEchoTrain } from '../measure/echoTrain'
import { rawDatagrams } from '../werift/rawDatagrams'
import { measureThroughput, type DirectionResult } from '../measure/throughput'
import type { Attempt, NewEvent } from './attempt'
import type { ProbeChannel } from './probeChannel'
import { gapWarnings, pathMeasurement, probeSamples, type PathProbes } from './records'

/** A ping without an echo within this long counts as lost. */
const PING_WAIT_MS = 1_000
/** The throughput window per direction (like `iperf3 -t`), unless the session says otherwise. */
export const DEFAULT_WINDOW_S = 2
/** Not counted before each window (iperf3 --omit): slow start and the first loss recovery. */
export const WARMUP_S = 0.5
export const THROUGHPUT_METHOD = 'data channel (SCTP), payload counted by the receiver over a fixed window after a 0.5 s warm-up, each direction in turn'

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
}

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

  constructor(private readonly o: MeterHost) {}

  measure(attempt: Attempt, probe: ProbeChannel, chosen: boolean): Promise<void> {
    if (this.paths.has(attempt.id)) return Promise.resolve()
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
    const throughput = this.o.host() ? await this.throughput(attempt, probe) : undefined
    const m = pathMeasurement(attempt, probes, throughput)
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

  /** Bulk transfer each way over one path (the host drives, the joiner answers), one direction after the other. */
  private async throughput(attempt: Attempt, probe: ProbeChannel): Promise<PathMeasurement['throughput']> {
    const bytes = this.o.throughputBytes()
    if (bytes <= 0) return { hostToJoinBps: null, joinToHostBps: null, bytes: 0, off: this.o.throughputOff?.() ?? 'turned off' }
    if (!probe.open) return undefined
    const seconds = this.o.throughputSeconds?.() ?? DEFAULT_WINDOW_S
    await this.o.peerSettled?.()
    const measure = (direction: 'send' | 'receive'): Promise<DirectionResult | null> =>
      measureThroughput(probe.dc, { direction, bytes, seconds, omitSeconds: WARMUP_S }).then(
        (r) => r[direction] ?? null,
        () => null
      )
    const up = await measure('send')
    const down = await measure('receive')
    const mb = (r: DirectionResult | null): number | null => r?.MBps ?? null
    this.o.emit({ kind: 'throughput', attempt: attempt.id, hostToJoinMBps: mb(up), joinToHostMBps: mb(down) })
    return throughputRecord(bytes, seconds, up, down)
  }
}

/** The report's throughput record from the two directions' results. */
export function throughputRecord(bytes: number, seconds: number, up: DirectionResult | null, down: DirectionResult | null): NonNullable<PathMeasurement['throughput']> {
  const bps = (r: DirectionResult | null): number | null => (r && r.ms > 0 ? Math.round(r.bytes / (r.ms / 1000)) : null)
  return {
    hostToJoinBps: bps(up),
    joinToHostBps: bps(down),
    bytes,
    ...(up ? { hostToJoinMs: up.ms, hostToJoinBytes: up.bytes, messageBytes: up.messageSize } : {}),
    ...(down ? { joinToHostMs: down.ms, joinToHostBytes: down.bytes } : {}),
    windowMs: Math.round(seconds * 1000),
    method: THROUGHPUT_METHOD
  }
}
