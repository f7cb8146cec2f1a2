// The UDP echo train's plan and statistics (pure, src/shared only). The initiator sends `count`
// echo requests `spacingMs` apart on the selected ICE pair (src/core/measure/echoTrain.ts); the
// other side echoes each one at once with its own clock. From the replies: RTT percentiles (the one
// percentile rule, src/shared/percentile.ts), round-trip loss, one-way loss when the responder says
// how many requests it got, and RFC 3550 interarrival jitter each way. Jitter uses only differences
// of transit times, so the two clocks' offset cancels and no clock sync is needed.
import { percentile } from '../percentile'
import type { RttStats } from '../report'

export interface EchoPlan {
  /** Requests in the train: large enough that 1 % loss shows (4 expected losses at 400). */
  count: number
  /** Spacing between requests, ms. */
  spacingMs: number
  /** Datagram size, bytes (request and reply alike: the reply is never larger than the request). */
  bytes: number
}

/** 400 small probes over 0.5 s (about 400 kbit/s: nothing a link notices; under the responder's 1000/s). */
export const ECHO_PLAN: EchoPlan = { count: 400, spacingMs: 1.25, bytes: 64 }
/** The most requests a responder echoes for one token (an untrusted initiator cannot ask for more). */
export const ECHO_MAX_COUNT = 1_000

/** One request of the train: all times on wall clocks, ms (sent and received: the initiator's; echoed: the responder's). */
export interface EchoSample {
  seq: number
  sentMs: number
  /** The responder's clock when it echoed; null when no reply came. */
  echoedMs: number | null
  /** The initiator's clock when the reply arrived; null when it never did. */
  receivedMs: number | null
}

export interface EchoStats {
  sent: number
  received: number
  /** Round-trip loss: requests without a reply. */
  lossPercent: number
  rtt: RttStats | null
  /** Requests lost on the way out (initiator → responder), when the responder's count is known and plausible. */
  outLossPercent: number | null
  /** Replies lost on the way back (responder → initiator), likewise. */
  backLossPercent: number | null
  /** RFC 3550 interarrival jitter of the requests (initiator → responder) and of the replies (back). */
  jitterOutMs: number | null
  jitterBackMs: number | null
}

const r2 = (n: number): number => Math.round(n * 100) / 100

/** How long to wait for replies after the last request: three times the slowest round trip so far, within 250 ms to 1 s. */
export function echoWaitMs(maxRttMs: number | null): number {
  return Math.min(1_000, Math.max(250, Math.ceil(3 * (maxRttMs ?? 0))))
}

/**
 * RFC 3550 (section 6.4.1, A.8) interarrival jitter over packets in order: for consecutive packets
 * i-1, i with send times S and receive times R (each on its own clock),
 * D = (R_i - R_{i-1}) - (S_i - S_{i-1}), and J += (|D| - J) / 16, starting from 0. Null below two packets.
 */
export function rfc3550Jitter(packets: ReadonlyArray<{ sent: number; received: number }>): number | null {
  if (packets.length < 2) return null
  let j = 0
  for (let i = 1; i < packets.length; i++) {
    const d = packets[i]!.received - packets[i - 1]!.received - (packets[i]!.sent - packets[i - 1]!.sent)
    j += (Math.abs(d) - j) / 16
  }
  return j
}

/** The train's statistics. `peerReceived`: the responder's count of requests it got (null when unknown or not believable). */
export function echoStats(samples: readonly EchoSample[], peerReceived: number | null): EchoStats {
  const ordered = [...samples].sort((a, b) => a.seq - b.seq)
  const answered = ordered.filter((s): s is EchoSample & { receivedMs: number; echoedMs: number } => s.receivedMs !== null && s.echoedMs !== null)
  const sent = ordered.length
  const received = answered.length
  const lossPercent = sent ? r2(((sent - received) / sent) * 100) : 0
  // The responder's count is believed only when it is possible: at least what came back, at most what was sent.
  const known = peerReceived !== null && Number.isInteger(peerReceived) && peerReceived >= received && peerReceived <= sent && sent > 0
  const out = known ? r2(((sent - peerReceived) / sent) * 100) : null
  const back = known ? (peerReceived === 0 ? 0 : r2(((peerReceived - received) / peerReceived) * 100)) : null
  const jOut = rfc3550Jitter(answered.map((s) => ({ sent: s.sentMs, received: s.echoedMs })))
  const jBack = rfc3550Jitter(answered.map((s) => ({ sent: s.echoedMs, received: s.receivedMs })))
  let rtt: RttStats | null = null
  if (received) {
    const sorted = answered.map((s) => s.receivedMs - s.sentMs).sort((a, b) => a - b)
    rtt = { minMs: r2(sorted[0]!), p50Ms: r2(percentile(sorted, 50)), p95Ms: r2(percentile(sorted, 95)), maxMs: r2(sorted[sorted.length - 1]!) }
  }
  return {
    sent,
    received,
    lossPercent,
    rtt,
    outLossPercent: out,
    backLossPercent: back,
    jitterOutMs: jOut === null ? null : r2(jOut),
    jitterBackMs: jBack === null ? null : r2(jBack)
  }
}

/** The report's words for how RTT, loss and jitter were measured. */
export function echoMethod(plan: EchoPlan): string {
  return `UDP echo train on the selected pair: ${plan.count} probes of ${plan.bytes} bytes every ${plan.spacingMs} ms`
}

export const DC_PING_METHOD = 'pings on the data channel (the other side cannot answer UDP probes)'
export const JITTER_METHOD = 'RFC 3550 interarrival jitter of the UDP echo train, each way (differences of transit times: no clock sync needed)'
