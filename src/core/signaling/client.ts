import { PollingChannel, type SignalChannel, type Transport } from './channel'
import type { CreateRoomResponse, HealthResponse, JoinResponse, PollResponse } from '../../shared/signaling'
import { DEFAULT_WAIT_SECONDS } from '../../shared/signaling'

/** A refusal from the signaling server (status and its `error` text) or an unreachable server (status 0). */
export class SignalClientError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'SignalClientError'
  }
}

export interface ClientOptions {
  /** Seconds a poll asks the server to hold; lower it in tests. */
  waitSeconds?: number
  /** Milliseconds before a request that got no answer is abandoned. */
  timeoutMs?: number
}

async function request<T>(base: string, path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : base + '/')
  const timeout = AbortSignal.timeout(init.timeoutMs ?? 10_000)
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
  let res: Response
  try {
    res = await fetch(url, { ...init, signal })
  } catch (err) {
    if (init.signal?.aborted) throw err
    const cause = (err as { cause?: { code?: string } }).cause?.code
    const why = timeout.aborted ? 'timed out' : (cause ?? (err as Error).message)
    throw new SignalClientError(0, `signaling server ${url.origin} unreachable: ${why}`)
  }
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    throw new SignalClientError(res.status, `signaling server answered ${res.status} with non-JSON`)
  }
  if (!res.ok) {
    const error = (body as { error?: unknown } | undefined)?.error
    throw new SignalClientError(res.status, typeof error === 'string' ? error : `HTTP ${res.status}`)
  }
  return body as T
}

function json(body: unknown, token?: string): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  return { method: 'POST', headers, body: JSON.stringify(body) }
}

export function health(base: string): Promise<HealthResponse> {
  return request<HealthResponse>(base, '/v1/health')
}

export function createRoom(base: string): Promise<CreateRoomResponse> {
  return request<CreateRoomResponse>(base, '/v1/rooms', json({}))
}

export function joinRoom(base: string, room: string, secret: string, name?: string): Promise<JoinResponse> {
  return request<JoinResponse>(base, `/v1/rooms/${encodeURIComponent(room)}/peers`, json({ secret, name }))
}

/** A peer's channel through a signaling server over HTTP long poll. */
export function httpChannel(base: string, room: string, peerId: string, token: string, options: ClientOptions = {}): SignalChannel {
  const wait = options.waitSeconds ?? DEFAULT_WAIT_SECONDS
  const path = `/v1/rooms/${encodeURIComponent(room)}/messages`
  const transport: Transport = {
    async post(type, data) {
      const { seq } = await request<{ seq: number }>(base, path, { ...json({ type, data }, token), timeoutMs: options.timeoutMs }).catch(roomGone(room))
      return seq
    },
    poll(after, signal): Promise<PollResponse> {
      return request<PollResponse>(base, `${path}?after=${after}&wait=${wait}`, {
        headers: { authorization: `Bearer ${token}` },
        signal,
        timeoutMs: wait * 1000 + (options.timeoutMs ?? 10_000)
      }).catch(roomGone(room))
    },
    isFatal(error) {
      return error instanceof SignalClientError && [400, 401, 403, 404].includes(error.status)
    }
  }
  return new PollingChannel(peerId, transport)
}

/**
 * Rooms live in the server's memory only: a 404 for a room we were in means the server restarted
 * or the room expired. Say so plainly, instead of a bare "unknown room".
 */
function roomGone(room: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof SignalClientError && err.status === 404) {
      throw new SignalClientError(404, `room ${room} is gone from the signaling server (it restarted, or the room expired): start a new session`)
    }
    throw err
  }
}
