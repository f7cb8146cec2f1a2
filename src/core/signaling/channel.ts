import type { PollResponse, SignalMessage } from '../../shared/signaling'
import { sleep } from '../../shared/timers'

export type MessageHandler = (message: SignalMessage) => void
export type ChannelErrorHandler = (error: Error) => void

/** One peer's end of a room: send to the other peer, receive its messages in order. */
export interface SignalChannel {
  readonly peerId: string
  send(type: string, data: unknown): Promise<number>
  /** Starts delivering messages; a fatal error (room gone, token refused) ends delivery. */
  start(onMessage: MessageHandler, onError?: ChannelErrorHandler): void
  close(): Promise<void>
}

export interface Transport {
  post(type: string, data: unknown): Promise<number>
  poll(after: number, signal: AbortSignal): Promise<PollResponse>
  /** True when the error means polling again cannot help (room gone, token refused). */
  isFatal(error: unknown): boolean
}

/**
 * The poll loop shared by the HTTP client and the in-process host: ask for messages after the
 * cursor, hand them out in order, move the cursor. A failed poll is asked again with the same
 * cursor, so nothing is lost when a request dies mid-delivery.
 */
export class PollingChannel implements SignalChannel {
  private readonly stop = new AbortController()
  private loop: Promise<void> | undefined
  private cursor = 0

  constructor(
    readonly peerId: string,
    private readonly transport: Transport,
    private readonly retry = { firstMs: 100, maxMs: 3000 }
  ) {}

  send(type: string, data: unknown): Promise<number> {
    return this.transport.post(type, data)
  }

  start(onMessage: MessageHandler, onError: ChannelErrorHandler = () => {}): void {
    if (this.loop) throw new Error('channel already started')
    this.loop = this.run(onMessage, onError)
  }

  private async run(onMessage: MessageHandler, onError: ChannelErrorHandler): Promise<void> {
    let delay = this.retry.firstMs
    while (!this.stop.signal.aborted) {
      try {
        const { messages, next } = await this.transport.poll(this.cursor, this.stop.signal)
        for (const message of messages) {
          if (this.stop.signal.aborted) return
          if (message.seq <= this.cursor) continue
          this.cursor = message.seq
          onMessage(message)
        }
        this.cursor = Math.max(this.cursor, next)
        delay = this.retry.firstMs
      } catch (err) {
        if (this.stop.signal.aborted) return
        const error = err instanceof Error ? err : new Error(String(err))
        if (this.transport.isFatal(err)) {
          onError(error)
          return
        }
        await sleep(delay, this.stop.signal)
        delay = Math.min(delay * 2, this.retry.maxMs)
      }
    }
  }

  async close(): Promise<void> {
    this.stop.abort()
    await this.loop
  }
}

