import type { PathMeasurement, UdpRate } from '../../shared/report'
import { analyse, pathRate, type StepOutcome } from '../../shared/measure/udpRate'
import { UDP_PROBE_MAX_BYTES } from '../../shared/protocol/udpProbe'
import type { UdpRateEndpoint } from './udpRateTrain'

// One path's UDP measurement both ways (host side): the rate search host → joiner, then joiner → host,
// and the report records built from it. The steps and their analysis are src/shared/measure/udpRate.ts.

export const UDP_THROUGHPUT_METHOD =
  'paced UDP on the selected pair: payload per second that arrived (on the receiver\'s clock, the median of 50 ms windows) during a step that offered more than the path carried; each direction in turn, never at once'
export const UDP_RATE_METHOD =
  'paced UDP steps on the selected pair (an exponential ramp, a confirm step above capacity, steps just under it); the highest rate whose step lost under 1 % of at least 100 packets; each direction in turn'

/** The other side never answered: nothing measured that way. */
export type DirectionSteps = StepOutcome[] | null

export interface UdpPathResult {
  throughput: NonNullable<PathMeasurement['throughput']>
  udp: UdpRate
  /** Both directions measured something (else the caller falls back to the data channel). */
  measured: boolean
}

/** Runs the search each way, one after the other, within `bytes` and `msPerDirection`. */
export async function measureUdpPath(endpoint: UdpRateEndpoint, o: { bytes: number; msPerDirection: number; packetBytes?: number; underSteps?: boolean }): Promise<UdpPathResult> {
  const packetBytes = o.packetBytes ?? UDP_PROBE_MAX_BYTES
  const plan = { packetBytes, budget: { bytes: o.bytes, ms: o.msPerDirection }, underSteps: o.underSteps !== false }
  const run = (direction: 'hostToJoin' | 'joinToHost'): Promise<DirectionSteps> => endpoint.run(direction, plan).catch(() => null)
  const up = await run('hostToJoin')
  const down = await run('joinToHost')
  return udpPathRecords(up, down, packetBytes, o.bytes)
}

/** The throughput and UDP records from the steps of each direction (pure). */
export function udpPathRecords(up: DirectionSteps, down: DirectionSteps, packetBytes: number, bytes: number): UdpPathResult {
  const upRate = up && pathRate(up, packetBytes)
  const downRate = down && pathRate(down, packetBytes)
  const longest = Math.max(0, ...[...(up ?? []), ...(down ?? [])].map((s) => s.ms))
  const throughput: NonNullable<PathMeasurement['throughput']> = {
    hostToJoinBps: upRate ? upRate.bps : null,
    joinToHostBps: downRate ? downRate.bps : null,
    bytes,
    messageBytes: packetBytes,
    ...(upRate ? { hostToJoinMs: upRate.ms, hostToJoinBytes: upRate.bytes } : {}),
    ...(downRate ? { joinToHostMs: downRate.ms, joinToHostBytes: downRate.bytes } : {}),
    windowMs: Math.round(longest),
    method: UDP_THROUGHPUT_METHOD + (upRate?.capped || downRate?.capped ? ' (a figure the sender could not push past is a lower bound)' : '')
  }
  const udp: UdpRate = {
    hostToJoin: up ? analyse(up, packetBytes) : null,
    joinToHost: down ? analyse(down, packetBytes) : null,
    packetBytes,
    method: UDP_RATE_METHOD
  }
  return { throughput, udp, measured: !!upRate && !!downRate }
}

/** The records of a path whose measurement was turned off. */
export function udpOff(reason: string): UdpRate {
  return { hostToJoin: null, joinToHost: null, method: UDP_RATE_METHOD, off: reason }
}
