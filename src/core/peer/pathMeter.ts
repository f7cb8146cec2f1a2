import type { PathMeasurement } from '../../shared/report'
import { PING_INTERVAL_MS } from '../../shared/protocol/timings'
import type { PingSample } from '../measure/rtt'
import { measureThroughput } from '../measure/throughput'
import type { Attempt, NewEvent } from './attempt'
import type { ProbeChannel } from './probeChannel'
import { gapWarnings, pathMeasurement } from './records'

/** A ping without an echo within this long counts as lost. */
const PING_WAIT_MS = 1_000

export interface MeterHost {
  now(): number
  emit(event: NewEvent): void
  /** This side drives the throughput test (the host; the joiner answers). */
  host(): boolean
  probes(): number
  /** Bytes each way per path for the throughput test; 0: not measured (off, or the other side does not answer it). */
  throughputBytes(): number
}

/** Measures each path once: pings (RTT, loss, jitter, gaps), then throughput, and keeps the results by attempt. */
export class PathMeter {
  readonly paths = new Map<number, PathMeasurement>()
  /** The chosen path's pings: the clock offset is estimated from them. */
  offsets: PingSample[] = []
  private throughputRun: Promise<unknown> = Promise.resolve()

  constructor(private readonly o: MeterHost) {}

  async measure(attempt: Attempt, probe: ProbeChannel, chosen: boolean): Promise<void> {
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

  /**
   * Bulk transfer each way over one path (the host drives, the joiner answers). Paths: one at a time,
   * so they do not share the CPU. On loopback the SCTP packets may be large; elsewhere they must fit a UDP datagram.
   */
  private async throughput(attempt: Attempt, probe: ProbeChannel): Promise<PathMeasurement['throughput']> {
    const bytes = this.o.throughputBytes()
    if (bytes <= 0 || !probe.open) return undefined
    const job = this.throughputRun.then(async () => {
      const measure = (direction: 'send' | 'receive') => measureThroughput(probe.dc, { direction, bytes, seconds: 3 }).then((r) => r[direction]?.MBps ?? null, () => null)
      const up = await measure('send')
      const down = await measure('receive')
      const bps = (mb: number | null): number | null => (mb === null ? null : Math.round(mb * 1_000_000))
      this.o.emit({ kind: 'throughput', attempt: attempt.id, hostToJoinMBps: up, joinToHostMBps: down })
      return { hostToJoinBps: bps(up), joinToHostBps: bps(down), bytes }
    })
    this.throughputRun = job.catch(() => undefined)
    return job
  }
}
