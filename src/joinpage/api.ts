import type { JoinResponse, PollResponse, SignalMessage } from '../shared/signaling'

/** A failed call to the signaling server; status 0 when the server could not be reached at all. */
export class SignalCallError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>

/**
 * Signaling protocol v1 (docs/signaling.md) from the page: same origin, so no CORS. `base` is the
 * server's root URL as the page sees it (with any reverse-proxy prefix).
 */
export class SignalApi {
  private token = ''

  constructor(
    private readonly base: string,
    private readonly room: string,
    private readonly fetcher: Fetch = (url, init) => fetch(url, init)
  ) {}

  /** The secret goes to the server only here, in the body of the join request. */
  async join(secret: string, name: string): Promise<JoinResponse> {
    const joined = (await this.call('POST', 'peers', { secret, name })) as JoinResponse
    this.token = joined.token
    return joined
  }

  async post(type: string, data: unknown, keepalive = false): Promise<void> {
    await this.call('POST', 'messages', { type, data }, keepalive)
  }

  async poll(after: number, waitSeconds: number, signal?: AbortSignal): Promise<{ messages: SignalMessage[]; next: number }> {
    const body = (await this.call('GET', `messages?after=${after}&wait=${waitSeconds}`, undefined, false, signal)) as PollResponse
    return { messages: Array.isArray(body.messages) ? body.messages : [], next: typeof body.next === 'number' ? body.next : after }
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, keepalive = false, signal?: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.token) headers.authorization = `Bearer ${this.token}`
    let res: Response
    try {
      const init: RequestInit = { method, headers, keepalive }
      if (body !== undefined) init.body = JSON.stringify(body)
      if (signal) init.signal = signal
      res = await this.fetcher(`${this.base}v1/rooms/${encodeURIComponent(this.room)}/${path}`, init)
    } catch (err) {
      if (signal?.aborted) throw err
      throw new SignalCallError(0, (err as Error).message || 'network error')
    }
    const text = await res.text().catch(() => '')
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (!res.ok) {
      const reason = parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string' ? (parsed as { error: string }).error : res.statusText
      throw new SignalCallError(res.status, reason)
    }
    return parsed
  }
}

/** Where the invite points: the server root (before `join/ROOM`), the room, and the secret from the fragment. */
export function readInvite(pathname: string, hash: string, origin: string): { base: string; room: string; secret: string } | undefined {
  const match = /^(.*\/)join\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  if (!match) return undefined
  let secret = hash.replace(/^#/, '')
  try {
    secret = decodeURIComponent(secret)
  } catch {
    // Keep it as typed: the server will say whether it is right.
  }
  return { base: origin + match[1]!, room: match[2]!, secret }
}

/** Plain words for what went wrong while joining. */
export function joinFailure(err: unknown): string {
  const status = err instanceof SignalCallError ? err.status : 0
  switch (status) {
    case 0:
      return 'Cannot reach the peerlens server that made this invite. The host may have quit, or this laptop cannot reach it.'
    case 400:
    case 403:
      return 'Wrong secret: the part of the address after # does not match this room. Copy the whole invite again, including everything after #.'
    case 404:
      return 'This room does not exist any more: the host finished or quit, or the invite expired. Ask for a new invite.'
    case 409:
      return 'Someone has already joined this room. Ask the host for a new invite.'
    case 429:
      return 'The server is busy (rate limited). Wait a moment and reload the page.'
    default:
      return `The server refused to let this page join: ${(err as Error).message}`
  }
}

/** Plain words for losing the server after joining. */
export function signalingLost(err: unknown): string {
  const status = err instanceof SignalCallError ? err.status : 0
  if (status === 401 || status === 404 || status === 0) return 'The host left: its peerlens server no longer answers for this room.'
  return `Signaling failed: ${(err as Error).message}`
}
