import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
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

// node:http with one keep-alive agent per scheme rather than fetch: fetch's global dispatcher kept a
// connection pool per origin for the life of the process (about 35 KB each, with its closed
// clients), and a host's embedded server is a new origin every session: a process running sessions
// for weeks grew by that much per session. An http.Agent forgets an origin once its sockets close.
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true })
}

export interface RequestInit {
  method?: string
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
  timeoutMs?: number
}

/**
 * One request. A request written to a kept-alive socket the server had already closed (it
 * restarted, or an instance behind a load balancer died) never reached it: that one is sent again
 * once, on a new socket, as Node's documentation advises (ECONNRESET on a reused socket).
 */
function send(url: URL, init: RequestInit, signal: AbortSignal, retry = true): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:'
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8')
    const headers = { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) }
    const req = (https ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers, agent: https ? agents['https:'] : agents['http:'], signal }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (retry && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) resolve(send(url, init, signal, false))
      else reject(err)
    })
    req.end(body)
  })
}

export async function request<T>(base: string, path: string, init: RequestInit = {}): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : base + '/')
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SignalClientError(0, `signaling server ${url.origin}: only http and https URLs`)
  const timeout = AbortSignal.timeout(init.timeoutMs ?? 10_000)
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
  let res: { status: number; text: string }
  try {
    res = await send(url, init, signal)
  } catch (err) {
    if (init.signal?.aborted) throw err
    const code = (err as NodeJS.ErrnoException).code
    const why = timeout.aborted ? 'timed out' : code && code !== 'ABORT_ERR' ? code : (err as Error).message
    throw new SignalClientError(0, `signaling server ${url.origin} unreachable: ${why}`)
  }
  const { status, text } = res
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    throw new SignalClientError(status, `signaling server answered ${status} with non-JSON`)
  }
  if (status < 200 || status > 299) {
    const error = (body as { error?: unknown } | undefined)?.error
    throw new SignalClientError(status, typeof error === 'string' ? error : `HTTP ${status}`)
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
