import { RedisClient, type RedisTarget } from './resp'

/**
 * Long polls waiting on this instance, woken through Redis pub/sub: one subscriber connection per
 * instance, subscribed to the channel of each (room, peer) that has a poll waiting here, so a
 * message posted on any instance wakes the poll on this one.
 */
export class Wakes {
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly subscribing = new Map<string, Promise<unknown>>()
  readonly client: RedisClient

  constructor(target: RedisTarget) {
    this.client = new RedisClient(target, {
      onMessage: (channel) => this.fire(channel),
      // After a reconnection: subscribe again, and wake every poll so it reads what it may have missed.
      onConnect: () => {
        for (const channel of this.listeners.keys()) void this.client.command(['SUBSCRIBE', channel]).catch(() => {})
        for (const channel of [...this.listeners.keys()]) this.fire(channel)
      },
      // Lost: wake every poll now, so it answers (503 while Redis is away) instead of waiting out its time.
      onClose: () => {
        for (const channel of [...this.listeners.keys()]) this.fire(channel)
      }
    })
  }

  connect(): Promise<void> {
    return this.client.connect()
  }

  /** Calls `wake` on every message on `channel` until the returned release is called; resolves once subscribed. */
  async listen(channel: string, wake: () => void): Promise<() => void> {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
      const subscribed = this.client.command(['SUBSCRIBE', channel])
      this.subscribing.set(channel, subscribed)
      void subscribed.finally(() => {
        if (this.subscribing.get(channel) === subscribed) this.subscribing.delete(channel)
      }).catch(() => {})
    }
    set.add(wake)
    const release = (): void => {
      const now = this.listeners.get(channel)
      if (!now?.delete(wake) || now.size > 0) return
      this.listeners.delete(channel)
      void this.client.command(['UNSUBSCRIBE', channel]).catch(() => {})
    }
    try {
      await this.subscribing.get(channel)
    } catch (err) {
      release()
      throw err
    }
    return release
  }

  get waiting(): number {
    let n = 0
    for (const set of this.listeners.values()) n += set.size
    return n
  }

  private fire(channel: string): void {
    for (const wake of [...(this.listeners.get(channel) ?? [])]) wake()
  }

  close(): void {
    this.client.close()
  }
}
