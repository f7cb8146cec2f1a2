import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { SignalChannel, MessageHandler } from './channel'
import { MESSAGE_TYPE_PATTERN, type SignalMessage } from '../../shared/signaling'

const PREFIX = 'PL1:'
const MAX_BLOB_CHARS = 256 * 1024

export class BlobError extends Error {
  override name = 'BlobError'
}

export interface BlobMessage {
  type: string
  data: unknown
}

/** Packs one side's signaling messages into a blob short enough to paste into a chat. */
export function encodeBlob(messages: BlobMessage[]): string {
  return PREFIX + deflateRawSync(Buffer.from(JSON.stringify(messages))).toString('base64url')
}

export function isBlob(text: string): boolean {
  return text.trim().startsWith(PREFIX)
}

export function decodeBlob(text: string): BlobMessage[] {
  const t = text.trim()
  if (!t.startsWith(PREFIX)) throw new BlobError('not a peerlens blob (it starts with PL1:)')
  if (t.length > MAX_BLOB_CHARS) throw new BlobError('blob too long')
  let parsed: unknown
  try {
    parsed = JSON.parse(inflateRawSync(Buffer.from(t.slice(PREFIX.length), 'base64url'), { maxOutputLength: 4 * MAX_BLOB_CHARS }).toString('utf8'))
  } catch {
    throw new BlobError('blob is damaged: copy all of it, on one line')
  }
  if (!Array.isArray(parsed) || !parsed.every((m) => m && typeof m === 'object' && typeof m.type === 'string' && MESSAGE_TYPE_PATTERN.test(m.type))) {
    throw new BlobError('blob holds no peerlens messages')
  }
  return parsed as BlobMessage[]
}

export interface ManualOptions {
  peerId: 'host' | 'join'
  /** Messages from the other side's blob, delivered first (the joiner starts with the offer blob). */
  initial?: BlobMessage[]
  /** Messages to deliver as if the other side had sent them before anything else. */
  preamble?: BlobMessage[]
  /** Called once with this side's blob, when its end-of-candidates marker was sent. */
  onBlob: (blob: string) => void
  /** The other side's blob, asked for after ours was handed out (host only). */
  readBlob?: () => Promise<string>
}

/**
 * Signaling by copy and paste, with no server: each side's messages travel in one blob,
 * complete with all its candidates (non-trickle). The session code is the same as with a server.
 */
export class ManualChannel implements SignalChannel {
  readonly peerId: string
  private readonly outgoing: BlobMessage[] = []
  private handler: MessageHandler | undefined
  private onError: ((e: Error) => void) | undefined
  private seq = 0
  private sealed = false
  private ended = false

  constructor(private readonly options: ManualOptions) {
    this.peerId = options.peerId
  }

  start(onMessage: MessageHandler, onError: (e: Error) => void = () => {}): void {
    this.handler = onMessage
    this.onError = onError
    queueMicrotask(() => this.deliver([...(this.options.preamble ?? []), ...(this.options.initial ?? [])]))
  }

  async send(type: string, data: unknown): Promise<number> {
    if (this.sealed) return 0
    this.outgoing.push({ type, data })
    // werift may finish gathering before the description is sent: seal only when both are in.
    if (type === 'candidate' && data === null) this.ended = true
    if (this.ended && this.outgoing.some((m) => m.type === 'offer' || m.type === 'answer')) {
      this.sealed = true
      this.options.onBlob(encodeBlob(this.outgoing))
      if (this.options.readBlob) {
        this.options
          .readBlob()
          .then((text) => this.deliver(decodeBlob(text)))
          .catch((err: Error) => this.onError?.(err))
      }
    }
    return ++this.seq
  }

  private deliver(messages: BlobMessage[]): void {
    for (const m of messages) {
      const message: SignalMessage = { seq: ++this.seq, from: this.peerId === 'host' ? 'join' : 'host', type: m.type, data: m.data }
      this.handler?.(message)
    }
  }

  async close(): Promise<void> {
    this.sealed = true
  }
}
