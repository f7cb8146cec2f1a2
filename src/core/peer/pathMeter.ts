import type { PathMeasurement } from '../../shared/report'
import { PING_INTERVAL_MS } from '../../shared/protocol/timings'
import type { PingSample } from '../measure/rtt'
import { measureThroughput, type DirectionResult } from '../measure/throughput'
import type { Attempt, NewEvent } from './attempt'
import type { ProbeChannel } from './probeChannel'
import { gapWarnings, pathMeasurement } from './records'

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
    const samples = await probe.ping(this.o.probes(), PING_INTERVAL_MS, PING_WAIT_MS)
    if (chosen) this.offsets = samples
    attempt.readSelected()
    const throughput = this.o.host() ? await this.throughput(attempt, probe) : undefined
    const m = pathMeasurement(attempt, samples, throughput)
    this.paths.set(attempt.id, m)
    const toSessionMs = (wall: number): number => this.o.now() - (Date.now() - wall)
    for (const message of gapWarnings(samples, m.path, toSessionMs)) this.o.emit({ kind: 'warning', message })
    this.o.emit({ kind: 'path-metrics', path: m.path, rttP50Ms: m.rtt?.p50Ms ?? null, lossPercent: m.lossPercent, jitterMs: m.jitterMs })
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
