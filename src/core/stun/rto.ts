/**
 * Retransmission timing (RFC 5389 section 7.2.1, with RFC 6298's estimator).
 *
 * Before any reply we use `initialMs` and double it per retransmission. After a reply the RTO is
 * SRTT + 4 * RTTVAR, never below `floorMs`: on a loaded two-core machine a lab round trip of 0.1 ms
 * can turn into tens of milliseconds of scheduling delay, and a retransmission then is only noise;
 * the floor is what keeps the "no reply" decisions (which wait several RTOs) honest.
 */
export interface RtoOptions {
  initialMs: number
  floorMs: number
  ceilingMs: number
}

export const DEFAULT_RTO: RtoOptions = { initialMs: 100, floorMs: 50, ceilingMs: 3000 }

export class RtoEstimator {
  private srtt: number | undefined
  private rttvar = 0
  constructor(readonly options: RtoOptions = DEFAULT_RTO) {}

  /** Feed one round trip, from a request that was not retransmitted (Karn's rule is the caller's). */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return
    if (this.srtt === undefined) {
      this.srtt = rttMs
      this.rttvar = rttMs / 2
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs)
      this.srtt = 0.875 * this.srtt + 0.125 * rttMs
    }
  }

  get measured(): boolean {
    return this.srtt !== undefined
  }

  get srttMs(): number | undefined {
    return this.srtt
  }

  /** The current RTO in milliseconds. */
  get rtoMs(): number {
    if (this.srtt === undefined) return this.options.initialMs
    return clamp(this.srtt + 4 * this.rttvar, this.options.floorMs, this.options.ceilingMs)
  }
}

/** When transmission `n` (0-based) is due, for a fixed RTO doubling each time, as in RFC 5389. */
export function transmissionTimes(rtoMs: number, transmissions: number): number[] {
  const times: number[] = []
  let at = 0
  let wait = rtoMs
  for (let i = 0; i < transmissions; i++) {
    times.push(at)
    at += wait
    wait *= 2
  }
  return times
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}
