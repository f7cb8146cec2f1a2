import type { SignalMessage } from '../../shared/signaling'
import { ATTEMPT_MESSAGES } from '../../shared/protocol/messages'

/** Which attempt a message type belongs to (0: the session's own: hello, nat, bye...). */
export function queueOf(type: string): number {
  for (const [id, kinds] of Object.entries(ATTEMPT_MESSAGES)) {
    if (type === kinds.offer || type === kinds.answer || type === kinds.candidate) return Number(id)
  }
  return 0
}

/**
 * Signaling messages handled in order, one queue per attempt: an answer is applied before the
 * candidates after it, but the relay-only attempt never waits behind the first attempt's gathering
 * (werift answers only once it has gathered, seconds when the STUN server does not answer). An
 * attempt's messages also wait for the session's messages that came before them (the hello).
 */
export class SignalQueue {
  private readonly tails = new Map<number, Promise<void>>()

  constructor(
    private readonly handle: (m: SignalMessage) => Promise<void>,
    private readonly failed: (m: SignalMessage, err: Error) => void
  ) {}

  push(m: SignalMessage): void {
    const key = queueOf(m.type)
    const session = this.tails.get(0) ?? Promise.resolve()
    const before = key === 0 ? session : Promise.all([session, this.tails.get(key)]).then(() => {})
    const next = before.then(() => this.handle(m)).catch((err: Error) => this.failed(m, err))
    this.tails.set(key, next)
  }
}
