import { percentile } from '../../shared/percentile'
import type { RttStats } from '../../shared/report'
import type { EchoSample } from '../../shared/measure/echoStats'

export interface PingSample {
  /** Round trip in ms, null when the echo never came. */
  rttMs: number | null
  /** Our wall clock when the ping left and when its echo arrived, and the peer's when it echoed. */
  sentWallMs: number
  receivedWallMs?: number
  peerWallMs?: number
}

const r2 = (n: number): number => Math.round(n * 100) / 100

/**
 * RTT percentiles, jitter and loss of data-channel pings. Jitter here is the mean absolute difference
 * between consecutive round trips (not RFC 3550: the echo train's one-way jitter is, src/shared/measure/echoStats.ts).
 */
export function rttStats(samples: PingSample[]): { rtt: RttStats | null; jitterMs: number | null; lossPercent: number; sent: number; received: number } {
  const rtts = samples.map((s) => s.rttMs).filter((r): r is number => r !== null)
  const sent = samples.length
  const received = rtts.length
  const lossPercent = sent ? r2(((sent - received) / sent) * 100) : 0
  if (!received) return { rtt: null, jitterMs: null, lossPercent, sent, received }
  const sorted = [...rtts].sort((a, b) => a - b)
  let jitter: number | null = null
  if (rtts.length > 1) {
    let sum = 0
    for (let i = 1; i < rtts.length; i++) sum += Math.abs(rtts[i]! - rtts[i - 1]!)
    jitter = r2(sum / (rtts.length - 1))
  }
  return {
    rtt: { minMs: r2(sorted[0]!), p50Ms: r2(percentile(sorted, 50)), p95Ms: r2(percentile(sorted, 95)), maxMs: r2(sorted[sorted.length - 1]!) },
    jitterMs: jitter,
    lossPercent,
    sent,
    received
  }
}

/**
 * The peer's clock minus ours, NTP style, from the sample with the shortest round trip (the least
 * room for asymmetric delay); the error bound is half that round trip.
 */
export function clockOffset(samples: PingSample[]): { offsetMs: number; errorMs: number } | null {
  let best: PingSample | undefined
  for (const s of samples) {
    if (s.rttMs === null || s.peerWallMs === undefined || s.receivedWallMs === undefined) continue
    if (!best || s.rttMs < best.rttMs!) best = s
  }
  if (!best) return null
  const offsetMs = best.peerWallMs! - (best.sentWallMs + best.receivedWallMs!) / 2
  return { offsetMs: r2(offsetMs), errorMs: r2(best.rttMs! / 2) }
}

/** The echo train's requests as ping samples (for the clock offset, gap warnings and the RTT chart): the responder's echo time is the peer's clock. */
export function echoPingSamples(samples: readonly EchoSample[]): PingSample[] {
  return [...samples]
    .sort((a, b) => a.seq - b.seq)
    .map((s) =>
      s.receivedMs === null || s.echoedMs === null
        ? { rttMs: null, sentWallMs: s.sentMs }
        : { rttMs: r2(s.receivedMs - s.sentMs), sentWallMs: s.sentMs, receivedWallMs: s.receivedMs, peerWallMs: s.echoedMs }
    )
}
