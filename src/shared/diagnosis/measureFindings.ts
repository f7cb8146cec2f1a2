// Findings from the path measurements (pure): what the relay costs, and whether a path's limit is a
// lossy bottleneck in the network or a slow stack at the ends (the question a WireGuard user asks:
// the tunnel carries UDP, not the data channel).
import type { PathMeasurement, Report } from '../report'
import { bits, DIRECTIONS, lowestStep, overheadText, relayOverhead, throughputText } from '../format/measure'
import type { Finding } from './findings'

/** "Far below": a figure under this share of the one it is compared with. */
export const FAR_BELOW = 0.5
/** A step with loss at or above this, at a low rate, is a lossy path (the UDP view's 1 % mark). */
export const LOSSY_PERCENT = 1
/** Fewer packets than this cannot show 1 % loss: such a step proves nothing. */
export const MIN_STEP_PACKETS = 100

/** One direction's figures, as the rule reads them. */
export interface DirectionFigures {
  /** The highest UDP rate under 1 % loss (null: even the lowest step lost more). */
  udpMaxBps: number | null
  /** The lowest-rate step: its offered rate, loss and packets sent. */
  low: { offeredBps: number; lossPercent: number; sent: number } | null
  /** The path's throughput figure (PathMeasurement.throughput). */
  pathBps: number | null
  /** What the data channel carried (PathMeasurement.dataChannel). */
  stackBps: number | null
}

export type Limit =
  | { kind: 'lossy-bottleneck'; why: 'loss-at-low-rate'; lossPercent: number; atBps: number }
  | { kind: 'lossy-bottleneck'; why: 'udp-far-below-path'; udpMaxBps: number; pathBps: number }
  | { kind: 'slow-stack'; stackBps: number; udpMaxBps: number }

function positive(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0
}

/**
 * Lossy bottleneck: UDP already loses 1 % or more at the lowest rate sent (with enough packets to see
 * it), or stays under 1 % loss only far below what the path carries. Slow stack: UDP crosses under 1 %
 * loss far faster than the data channel carried: the network is not the limit. Null: nothing to say.
 */
export function pathLimit(f: DirectionFigures): Limit | null {
  if (f.low && f.low.sent >= MIN_STEP_PACKETS && f.low.lossPercent >= LOSSY_PERCENT) return { kind: 'lossy-bottleneck', why: 'loss-at-low-rate', lossPercent: f.low.lossPercent, atBps: f.low.offeredBps }
  if (positive(f.udpMaxBps) && positive(f.pathBps) && f.udpMaxBps < FAR_BELOW * f.pathBps) return { kind: 'lossy-bottleneck', why: 'udp-far-below-path', udpMaxBps: f.udpMaxBps, pathBps: f.pathBps }
  if (positive(f.udpMaxBps) && typeof f.stackBps === 'number' && Number.isFinite(f.stackBps) && f.stackBps < FAR_BELOW * f.udpMaxBps) return { kind: 'slow-stack', stackBps: f.stackBps, udpMaxBps: f.udpMaxBps }
  return null
}

/** The figures of one direction of a path, from the report. */
export function directionFigures(p: PathMeasurement, key: 'hostToJoin' | 'joinToHost'): DirectionFigures | null {
  const u = p.udp && !p.udp.off ? p.udp[key] : null
  if (!u) return null
  const low = lowestStep(u)
  const path = p.throughput && !p.throughput.off ? p.throughput[`${key}Bps`] : null
  const stack = p.dataChannel && !p.dataChannel.off ? p.dataChannel[`${key}Bps`] : null
  return { udpMaxBps: u.maxRateBps, low: low ? { offeredBps: low.offeredBps, lossPercent: low.lossPercent, sent: low.sent } : null, pathBps: path, stackBps: stack }
}

function evidence(label: string, l: Limit): string {
  if (l.kind === 'slow-stack') return `${label}, UDP crosses at ${bits(l.udpMaxBps)} with under 1 % loss but the data channel carried only ${bits(l.stackBps)}`
  if (l.why === 'loss-at-low-rate') return `${label}, UDP already loses ${l.lossPercent} % at ${bits(l.atBps)}`
  return `${label}, UDP stays under 1 % loss only up to ${bits(l.udpMaxBps)} while the path carries ${bits(l.pathBps)}`
}

/** One finding for the directions that share a kind of limit. */
function limitFinding(path: string, kind: Limit['kind'], found: Array<{ label: string; l: Limit }>): Finding {
  const facts = `The ${path} path: ${found.map((x) => evidence(x.label, x.l)).join('; ')}`
  if (kind === 'slow-stack') return { level: 'info', text: `${facts}. A slow stack, not the network: the limit is the WebRTC data channel at the ends, and a UDP tunnel such as WireGuard can go faster on this path.` }
  return { level: 'warn', text: `${facts}. A lossy bottleneck in the network (a lossy link, a policer or a congested hop), not a slow stack: WireGuard on this path will see this loss too.` }
}

/** Per path: the limit in plain words, one finding per kind (both directions together when they agree). */
export function limitFindings(report: Report): Finding[] {
  const out: Finding[] = []
  for (const p of [report.paths?.direct, report.paths?.relay]) {
    if (!p) continue
    const found: Array<{ label: string; l: Limit }> = []
    for (const d of DIRECTIONS) {
      const f = directionFigures(p, d.key)
      const l = f ? pathLimit(f) : null
      if (l) found.push({ label: d.label, l })
    }
    for (const kind of ['lossy-bottleneck', 'slow-stack'] as const) {
      const same = found.filter((x) => x.l.kind === kind)
      if (same.length) out.push(limitFinding(p.path, kind, same))
    }
  }
  return out
}

/** What the relay costs (whenever both paths were measured), and the relay's own figure on a relayed session. */
export function overheadFindings(report: Report): Finding[] {
  const out: Finding[] = []
  const o = relayOverhead(report.paths)
  if (o) out.push({ level: 'info', text: `The relay costs ${overheadText(o)}.` })
  const relay = report.paths?.relay
  const t = relay?.throughput && !relay.throughput.off ? throughputText(relay.throughput) : null
  if (t && report.connection.verdict === 'relayed') out.push({ level: 'info', text: `Through the relay: ${t}.` })
  return out
}
