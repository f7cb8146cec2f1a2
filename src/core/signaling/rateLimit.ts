export interface RateLimitOptions {
  /** Requests per second refilled per address; 0 turns the limit off. */
  perSecond: number
  /** How many requests an address may make at once before the rate applies. */
  burst: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 200 }

/** A token bucket per client address. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now
  ) {}

  allow(address: string): boolean {
    const { perSecond, burst } = this.options
    if (perSecond <= 0) return true
    const now = this.now()
    const bucket = this.buckets.get(address) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    this.buckets.set(address, bucket)
    if (this.buckets.size > 10_000) this.forgetFull(now)
    return allowed
  }

  /** Drops buckets that have refilled completely: they hold no information. */
  private forgetFull(now: number): void {
    const { perSecond, burst } = this.options
    for (const [address, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.buckets.delete(address)
    }
  }
}
