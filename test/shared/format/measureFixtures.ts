// Hand-written path measurements for the renderers and findings: one with every field of issue 14,
// one as older versions wrote it, a browser joiner's (data-channel pings only), and one turned off.
import type { PathMeasurement, PathMeasurements } from '../../../src/shared/report'

const pair = { local: { type: 'srflx', address: '81.2.69.142', port: 41000, protocol: 'udp' }, remote: { type: 'srflx', address: '93.184.216.34', port: 41000, protocol: 'udp' } } as PathMeasurement['pair']

const step = (offeredBps: number, deliveredBps: number, sent: number, received: number): { offeredBps: number; deliveredBps: number; sent: number; received: number; lossPercent: number; ms: number } => ({
  offeredBps,
  deliveredBps,
  sent,
  received,
  lossPercent: Math.round(((sent - received) / sent) * 1000) / 10,
  ms: 400
})

/** Every new field: a 10 Mbit/s link measured by a paced UDP train, the data channel beside it. */
export function fullPath(path: 'direct' | 'relay' = 'direct', scale = 1): PathMeasurement {
  return {
    path,
    pair,
    probesSent: 500,
    probesReceived: 498,
    lossPercent: 0.4,
    rtt: { minMs: 10.2, p50Ms: 11.3, p95Ms: 14.8, maxMs: 21 },
    jitterMs: 0.9,
    probeMethod: 'UDP echo train on the selected pair',
    throughput: { hostToJoinBps: 1_175_000 * scale, joinToHostBps: 1_162_500 * scale, bytes: 4_194_304, hostToJoinMs: 2000, hostToJoinBytes: 2_350_000 * scale, joinToHostMs: 2000, joinToHostBytes: 2_325_000 * scale, windowMs: 2000, method: 'paced UDP train, receiver-timed' },
    dataChannel: { hostToJoinBps: 1_000_000 * scale, joinToHostBps: 950_000 * scale, bytes: 4_194_304, hostToJoinMs: 2000, hostToJoinBytes: 2_000_000 * scale, joinToHostMs: 2000, joinToHostBytes: 1_900_000 * scale, windowMs: 2000, method: 'data channel' },
    udp: {
      hostToJoin: { maxRateBps: 1_187_500 * scale, lossAtMaxPercent: 0.2, capacityBps: 1_212_500 * scale, steps: [step(625_000 * scale, 625_000 * scale, 1042, 1042), step(1_187_500 * scale, 1_185_000 * scale, 990, 988), step(2_500_000 * scale, 1_212_500 * scale, 2083, 1010)] },
      joinToHost: { maxRateBps: 1_125_000 * scale, lossAtMaxPercent: 0.5, capacityBps: 1_200_000 * scale, steps: [step(625_000 * scale, 625_000 * scale, 1042, 1042), step(1_125_000 * scale, 1_120_000 * scale, 938, 933), step(2_500_000 * scale, 1_200_000 * scale, 2083, 1000)] },
      packetBytes: 1200,
      method: 'paced UDP steps'
    },
    jitter: { hostToJoinMs: 0.3, joinToHostMs: 0.4, method: 'RFC 3550' }
  }
}

/** As versions before issue 14 wrote it: a byte count on the data channel, 20 pings. */
export function oldPath(path: 'direct' | 'relay' = 'direct'): PathMeasurement {
  return { path, pair, probesSent: 20, probesReceived: 19, lossPercent: 5, rtt: { minMs: 38.9, p50Ms: 41, p95Ms: 52.7, maxMs: 61.3 }, jitterMs: 3.4, throughput: { hostToJoinBps: 5_400_000, joinToHostBps: 3_100_000, bytes: 8_388_608, messageBytes: 65536 } }
}

/** A browser joiner: pings on the data channel only, no throughput test answered. */
export function browserPath(path: 'direct' | 'relay' = 'direct'): PathMeasurement {
  return { path, pair, probesSent: 20, probesReceived: 20, lossPercent: 0, rtt: { minMs: 9.8, p50Ms: 10.4, p95Ms: 12.9, maxMs: 13.1 }, jitterMs: 0.6, probeMethod: 'pings on the data channel', throughput: { hostToJoinBps: null, joinToHostBps: null, bytes: 0, off: 'the other side does not answer throughput tests' } }
}

/** Throughput turned off by the user (--throughput-mb 0, or Settings). */
export function offPath(path: 'direct' | 'relay' = 'direct'): PathMeasurement {
  const p = fullPath(path)
  return { ...p, throughput: { hostToJoinBps: null, joinToHostBps: null, bytes: 0, off: 'turned off (--throughput-mb 0)' }, dataChannel: null, udp: { hostToJoin: null, joinToHost: null, method: 'paced UDP steps', off: 'turned off (--throughput-mb 0)' } }
}

/** Both paths measured: the relay carries a third of the direct path. */
export function bothPaths(): PathMeasurements {
  return { direct: fullPath('direct'), relay: { ...fullPath('relay', 1 / 3), rtt: { minMs: 38, p50Ms: 40.4, p95Ms: 45, maxMs: 50 } }, overhead: { extraRttMs: 29.1, throughputRatio: null } }
}
