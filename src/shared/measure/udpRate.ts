import type { UdpRateDirection, UdpRateStep } from '../report'

/**
 * The UDP rate search of one direction of one path, as pure functions (no sockets, no clocks): which
 * step to send next from the results so far, and what the receiver's reports say.
 *
 * Steps: an exponential ramp of short steps until the delivered rate stops following the offered
 * rate (a queue built up at the bottleneck, or it overflowed), then a longer confirm step a little above that estimate
 * (what arrives during it is the path's capacity), then one or two steps just under capacity to find
 * the highest rate with under 1 % loss. After a step that filled the bottleneck's queue the sender
 * pauses for DRAIN_MS so it empties and each step starts from an idle path. Every step fits the budget
 * (payload bytes and milliseconds); a step that would not fit is shortened or not sent.
 */

/** Pause after a saturated step before the next one starts: the bottleneck queue empties (a router queue of 50 ms and more). */
export const DRAIN_MS = 100
/** The control round trips around a step (ask, report), counted against the time budget. */
export const STEP_OVERHEAD_MS = 40
export const RAMP_MS = 80
export const RAMP_FACTOR = 4
/** The confirm step offers this much above the ramp's estimate. */
export const CONFIRM_FACTOR = 1.25
export const UNDER_FACTORS = [0.92, 0.8] as const
export const MIN_STEP_MS = 60
/** A step delivered under this share of the rate it was sent at: the path carried less than offered (random loss alone costs its percentage). */
const SATURATED_SHARE = 0.9
/** A sender that reached under this share of the asked rate cannot go faster: the ramp stops there. */
const SENDER_LIMIT_SHARE = 0.8
/** A "< 1 %" claim needs a step large enough to see 1 % (100 packets). */
const MIN_PACKETS_FOR_LOSS = 100
export const LOSS_LIMIT_PERCENT = 1

export interface RatePlanOptions {
  /** UDP payload bytes per packet. */
  packetBytes: number
  /** Most payload bytes and milliseconds (steps, drains and control) this direction may use. */
  budget: { bytes: number; ms: number }
  /** First ramp step, bytes/s (default 500 000: 4 Mbit/s). */
  startBps?: number
  /** No step offers more than this, bytes/s (default 125 MB/s: 1 Gbit/s). */
  maxBps?: number
  /** The longest confirm step, ms (default 450); it is shortened to fit the budget. */
  confirmMs?: number
  /** Under-capacity steps, ms (default 250). */
  underMs?: number
  /** Search for the highest rate under 1 % loss after the capacity (default true); false: capacity only. */
  underSteps?: boolean
}

export type StepPhase = 'ramp' | 'confirm' | 'under'

export interface StepRequest {
  phase: StepPhase
  /** Payload bytes per second to pace at. */
  offeredBps: number
  ms: number
}

/** A step as sent and as the receiver reported it. */
export interface StepOutcome extends StepRequest {
  sent: number
  /** How long the sender actually took, ms. */
  sentMs: number
  received: number
  /** Payload bytes that arrived. */
  bytes: number
  /** Receiver clock of the first and last arrival, ms (only the difference is used); null when none arrived. */
  firstMs: number | null
  lastMs: number | null
  /**
   * A later start for the timing: the arrival of packet number `fromN` (counting from 1) at `fromMs`.
   * The receiver marks one about a quarter into the step, past a token bucket's initial burst (which
   * passes at the speed of the wire and would read above the path's rate).
   */
  fromN?: number
  fromMs?: number
  /**
   * The median of the rates that arrived in consecutive windows of WINDOW_MS (at least MIN_WINDOWS of
   * them): a stall of either side's event loop makes one window slow and the next fast, and moves
   * the median little, where it moves a first-to-last timing a lot.
   */
  medianBps?: number
}

export const WINDOW_MS = 50
const MIN_WINDOWS = 5
const MAX_WINDOWS = 256

/** The receiver's windows over one step's arrivals: bounded (at most MAX_WINDOWS rates). */
export class ArrivalWindows {
  private start: number | undefined
  private bytes = 0
  private readonly rates: number[] = []

  add(bytes: number, atMs: number): void {
    if (this.start === undefined) {
      this.start = atMs
      return
    }
    this.bytes += bytes
    if (atMs - this.start < WINDOW_MS) return
    if (this.rates.length < MAX_WINDOWS) this.rates.push((this.bytes * 1000) / (atMs - this.start))
    this.start = atMs
    this.bytes = 0
  }

  /** The median window rate, bytes/s; undefined with fewer than MIN_WINDOWS windows. */
  median(): number | undefined {
    if (this.rates.length < MIN_WINDOWS) return undefined
    const sorted = [...this.rates].sort((a, b) => a - b)
    const mid = sorted.length >> 1
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
}

/** What a step may cost: payload bytes and ms including its control round trips and, when it filled the queue (or may), the drain. */
export function stepCost(s: StepRequest, drain = true): { bytes: number; ms: number } {
  return { bytes: (s.offeredBps * s.ms) / 1000, ms: s.ms + (drain ? DRAIN_MS : 0) + STEP_OVERHEAD_MS }
}

/** The pause after a step before the next: DRAIN_MS when it filled the bottleneck's queue. */
export function drainAfter(o: StepOutcome, packetBytes: number): number {
  return saturated(o, packetBytes) ? DRAIN_MS : 0
}

/** The rate the sender actually reached: the asked rate, or less when it could not keep up. */
export function sentBps(o: StepOutcome, packetBytes: number): number {
  const actual = o.sentMs > 0 ? (o.sent * packetBytes * 1000) / o.sentMs : 0
  return Math.min(o.offeredBps, actual || o.offeredBps)
}

/**
 * Payload per second that arrived, timed by the receiver from the first (or the marked) arrival to
 * the last: packets n..N span N-n gaps, so the bytes counted are (N-n)/N of the step's.
 */
export function deliveredBps(o: Pick<StepOutcome, 'received' | 'bytes' | 'firstMs' | 'lastMs' | 'fromN' | 'fromMs' | 'medianBps'>): number {
  if (o.received < 2 || o.firstMs === null || o.lastMs === null) return 0
  if (o.medianBps !== undefined && o.medianBps > 0) return o.medianBps
  const marked = o.fromN !== undefined && o.fromMs !== undefined && o.fromN > 1 && o.fromN < o.received && o.lastMs > o.fromMs
  const [n, from] = marked ? [o.fromN!, o.fromMs!] : [1, o.firstMs]
  if (!(o.lastMs > from)) return 0
  return (o.bytes * ((o.received - n) / o.received) * 1000) / (o.lastMs - from)
}

/** Which arrival the receiver marks as the later start of a step's timing: a power of two about a quarter of the way. */
export function isMark(n: number): boolean {
  return n >= 16 && (n & (n - 1)) === 0
}

/** The mark to time from, of the marks taken: the largest at or under a quarter of the arrivals. */
export function markFor(received: number): number | undefined {
  let m: number | undefined
  for (let n = 16; n <= received / 4; n *= 2) m = n
  return m
}

export function lossPercent(o: Pick<StepOutcome, 'sent' | 'received'>): number {
  if (o.sent <= 0) return 0
  return Math.max(0, Math.min(100, ((o.sent - o.received) / o.sent) * 100))
}

/**
 * The path carried less than was offered: the delivered rate fell behind the rate sent (a queue
 * built up, or it overflowed), or it lost more than 1 % and fell behind by more than random loss would.
 */
export function saturated(o: StepOutcome, packetBytes: number): boolean {
  const share = deliveredBps(o) / sentBps(o, packetBytes)
  return o.received > 0 && (share < SATURATED_SHARE || (lossPercent(o) >= LOSS_LIMIT_PERCENT && share < 1 - (lossPercent(o) + 3) / 100))
}

function spent(results: StepOutcome[], packetBytes: number): { bytes: number; ms: number } {
  let bytes = 0
  let ms = 0
  for (const r of results) {
    bytes += Math.max((r.offeredBps * r.ms) / 1000, r.sent * packetBytes)
    ms += stepCost(r, saturated(r, packetBytes)).ms
  }
  return { bytes, ms }
}

/** Shortens a step to what is left of the budget; undefined when not even MIN_STEP_MS fits. */
function fit(step: StepRequest, left: { bytes: number; ms: number }): StepRequest | undefined {
  const byBytes = step.offeredBps > 0 ? (left.bytes * 1000) / step.offeredBps : Infinity
  const byTime = left.ms - DRAIN_MS - STEP_OVERHEAD_MS
  const ms = Math.floor(Math.min(step.ms, byBytes, byTime))
  return ms >= MIN_STEP_MS ? { ...step, ms } : undefined
}

/**
 * The next step from the results so far, or undefined when the search is over (found, or out of
 * budget). `elapsedMs`: the time really spent so far, when the runner knows it (slow round trips).
 */
export function nextStep(results: StepOutcome[], o: RatePlanOptions, elapsedMs = 0): StepRequest | undefined {
  const used = spent(results, o.packetBytes)
  used.ms = Math.max(used.ms, elapsedMs)
  const left = { bytes: o.budget.bytes - used.bytes, ms: o.budget.ms - used.ms }
  const start = o.startBps ?? 500_000
  const max = o.maxBps ?? 125_000_000
  const confirmMs = o.confirmMs ?? 450
  const withUnder = o.underSteps !== false
  const underMs = o.underMs ?? 250
  const last = results[results.length - 1]
  const confirms = results.filter((r) => r.phase === 'confirm')
  const unders = results.filter((r) => r.phase === 'under')
  const capacity = capacityOf(results, o.packetBytes)
  if (capacity !== null && confirms.length > 0 && confirms.some((c) => saturated(c, o.packetBytes))) {
    // Under capacity: the first step under 1 % loss ends the search.
    if (!withUnder) return undefined
    if (unders.some((u) => lossPercent(u) < LOSS_LIMIT_PERCENT) || unders.length >= UNDER_FACTORS.length) return undefined
    return fit({ phase: 'under', offeredBps: Math.round(capacity * UNDER_FACTORS[unders.length]!), ms: underMs }, left)
  }
  const ramp = results.filter((r) => r.phase === 'ramp')
  const rampSaturated = ramp.find((r) => saturated(r, o.packetBytes))
  if (rampSaturated || confirms.length > 0) {
    // Confirm: a little above the estimate (above the last confirm when that one was not saturated), at most twice.
    if (confirms.length >= 2) return undefined
    const basis = confirms.length ? Math.max(deliveredBps(last!), sentBps(last!, o.packetBytes)) : deliveredBps(rampSaturated!)
    const offered = Math.min(max, Math.round(basis * CONFIRM_FACTOR))
    const reserve = withUnder ? stepCost({ phase: 'under', offeredBps: offered, ms: underMs }) : { bytes: 0, ms: 0 }
    const room = { bytes: left.bytes - reserve.bytes, ms: left.ms - reserve.ms }
    return fit({ phase: 'confirm', offeredBps: offered, ms: confirmMs }, room.ms >= 300 ? room : left)
  }
  // Ramp: stop at the ceiling, or when the sender could not keep up twice in a row (once may be a
  // stall of a busy machine: that step is asked again).
  const limited = (r: StepOutcome | undefined): boolean => !!r && sentBps(r, o.packetBytes) < SENDER_LIMIT_SHARE * r.offeredBps
  if (last && (last.offeredBps >= max || (limited(last) && limited(ramp[ramp.length - 2])))) return undefined
  const offered = !last ? Math.min(max, start) : limited(last) ? last.offeredBps : Math.min(max, last.offeredBps * RAMP_FACTOR)
  return fit({ phase: 'ramp', offeredBps: Math.round(offered), ms: RAMP_MS }, left)
}

/** What a step delivered, no more than it was sent at: a short step read in a batch after a stall can time faster than it was sent. */
function plausibleBps(o: StepOutcome, packetBytes: number): number {
  return Math.min(deliveredBps(o), sentBps(o, packetBytes))
}

/**
 * The step whose delivered rate is the capacity: the longest saturated step (ties: the higher rate).
 * A "saturated" step that delivered well under what a step that kept up delivered was a stall, not the path.
 */
function capacityStep(results: StepOutcome[], packetBytes: number): StepOutcome | undefined {
  const most = Math.max(0, ...results.filter((r) => !saturated(r, packetBytes)).map((r) => plausibleBps(r, packetBytes)))
  let best: StepOutcome | undefined
  for (const r of results) {
    if (!saturated(r, packetBytes) || deliveredBps(r) < SATURATED_SHARE * most) continue
    if (!best || r.ms > best.ms || (r.ms === best.ms && deliveredBps(r) > deliveredBps(best))) best = r
  }
  return best
}

export function capacityOf(results: StepOutcome[], packetBytes: number): number | null {
  const s = capacityStep(results, packetBytes)
  return s ? deliveredBps(s) : null
}

/**
 * The figure of a direction for the throughput record: the capacity, or without a saturated step
 * (the sender or the budget stopped first) the most that arrived per second: a lower bound.
 */
export function pathRate(results: StepOutcome[], packetBytes: number): { bps: number; ms: number; bytes: number; capped: boolean } | null {
  const s = capacityStep(results, packetBytes) ?? [...results].sort((a, b) => plausibleBps(b, packetBytes) - plausibleBps(a, packetBytes))[0]
  if (!s || deliveredBps(s) <= 0) return null
  return { bps: Math.round(plausibleBps(s, packetBytes)), ms: Math.round((s.lastMs! - s.firstMs!) * 100) / 100, bytes: s.bytes, capped: !saturated(s, packetBytes) }
}

/** The report's view of a direction: every step, the capacity, and the highest rate under 1 % loss. */
export function analyse(results: StepOutcome[], packetBytes: number): UdpRateDirection {
  const steps: UdpRateStep[] = results.map((r) => ({
    offeredBps: Math.round(sentBps(r, packetBytes)),
    deliveredBps: Math.round(deliveredBps(r)),
    sent: r.sent,
    received: Math.min(r.received, r.sent),
    lossPercent: Math.round(lossPercent(r) * 100) / 100,
    ms: Math.round(r.sentMs)
  }))
  // Under 1 % loss, and not above the capacity: a step that only got through by filling the queue
  // does not count (a slow arrival under capacity is a stall at the receiver, not the path).
  const capacity = capacityOf(results, packetBytes)
  let best: UdpRateStep | undefined
  steps.forEach((s, i) => {
    const sustained = capacity !== null ? s.offeredBps <= capacity * 1.02 : !saturated(results[i]!, packetBytes)
    const ok = s.sent >= MIN_PACKETS_FOR_LOSS && s.lossPercent < LOSS_LIMIT_PERCENT && sustained
    if (ok && (!best || s.offeredBps > best.offeredBps)) best = s
  })
  return {
    maxRateBps: best ? best.offeredBps : null,
    lossAtMaxPercent: best ? best.lossPercent : null,
    capacityBps: capacity === null ? null : Math.round(capacity),
    steps
  }
}
