import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignalError } from './errors'
import { Rooms, type RoomsOptions } from './rooms'
import type { RawMessage, RoomStore } from './store'
import { Groups } from './groups'
import type { GroupOptions, GroupStore } from './groupStore'
import { routeGroups } from './groupRoutes'
import { SignalMetrics } from './metrics'
import { RateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rateLimit'
import { readJsonBody, isRecord, BodyBudget } from './body'
import { rawMember } from './rawJson'
import { checkHost, clientAddress, type AllowedHosts } from './hosts'
import { capConnections, isRefused } from './connections'
import { isJoinAsset, joinAsset, joinPage, JOIN_PAGE_HEADERS, type JoinPageAssets } from './joinPage'
import {
  DEFAULT_WAIT_SECONDS,
  MAX_WAIT_SECONDS,
  MESSAGE_TYPE_PATTERN,
  PROTOCOL_VERSION,
  type HealthResponse
} from '../../shared/signaling'
import { APP_VERSION } from '../version'

export interface SignalingServerOptions extends RoomsOptions {
  rateLimit?: RateLimitOptions
  /** Called once per answered request; never given tokens or secrets. */
  log?: (line: string) => void
  /** Time a client gets to send its headers (slowloris), and a whole request; tests lower them. */
  headersTimeoutMs?: number
  requestTimeoutMs?: number
  /** The join page's built files, served under /join-assets/; without them those answer 503. */
  joinPage?: JoinPageAssets
  /** Answer only requests whose Host header names one of these (421 otherwise); undefined: any. */
  allowedHosts?: AllowedHosts
  /** Key the rate limit and rooms per address on X-Forwarded-For's last hop (behind a reverse proxy). */
  trustProxy?: boolean
  /** Open sockets per address (default 100; 0: no cap) and overall (default 2000). */
  maxConnectionsPerAddress?: number
  maxConnections?: number
  /** Bytes of request bodies being received at once, server-wide (default 8 MiB; 503 past it). */
  maxBodyBytesInFlight?: number
  /** Where rooms and messages live: this process (default) or an external store (RedisStore). */
  store?: RoomStore
  /** The group directory (agents): in this process (default) or in Redis (RedisStore.groups). */
  groups?: GroupStore
  /** Limits of the in-memory group directory. */
  groupOptions?: GroupOptions
}

const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/
const INTEGER = /^\d{1,15}$/

/** The long-poll HTTP signaling server (protocol v1, docs/signaling.md). */
export class SignalingServer {
  readonly store: RoomStore
  readonly groups: GroupStore
  readonly http: Server
  /** Counters and gauges of this instance, for GET /metrics (--metrics-listen). */
  readonly metrics: SignalMetrics
  private readonly memory: Rooms | undefined
  private readonly limiter: RateLimiter
  private readonly log: (line: string) => void
  private readonly joinPageAssets: JoinPageAssets | undefined
  private readonly bodies: BodyBudget
  private readonly allowedHosts: AllowedHosts | undefined
  private readonly trustProxy: boolean

  constructor(options: SignalingServerOptions = {}) {
    this.memory = options.store ? undefined : new Rooms(options)
    this.store = options.store ?? this.memory!
    this.groups = options.groups ?? new Groups(options.groupOptions)
    this.metrics = new SignalMetrics(this.store, this.groups)
    this.limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT)
    const log = options.log ?? (() => {})
    this.log = (line) => {
      // The refusals decided outside handle() (connection cap, malformed requests) are counted here.
      if (line.startsWith('- - ')) this.metrics.reject(Number(line.slice(4, 7)), line.slice(8))
      log(line)
    }
    this.joinPageAssets = options.joinPage
    this.bodies = new BodyBudget(options.maxBodyBytesInFlight ?? 8 * 1024 * 1024)
    this.allowedHosts = options.allowedHosts
    this.trustProxy = options.trustProxy ?? false
    // Node checks the header and request timeouts only every connectionsCheckingInterval (30 s by
    // default), so a slowloris client held its socket for up to 40 s instead of 10: check every second.
    this.http = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => void this.handle(req, res))
    // Slow clients get little time to send headers and bodies; long polls send none and are unaffected.
    this.http.headersTimeout = options.headersTimeoutMs ?? 10_000
    this.http.requestTimeout = options.requestTimeoutMs ?? 15_000
    // Requests Node itself refuses (bad method or framing, headers too large, too slow) answer in the
    // JSON error shape of the protocol instead of Node's bare text, and are logged like the others.
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const [status, reason] = clientErrorStatus(err.code)
      this.log(`- - ${status} client error ${err.code ?? ''}`.trimEnd())
      // As Node's own handler: answer unless a response has already started on this socket.
      const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
      if (!socket.writable || started) return void socket.destroy()
      const text = JSON.stringify({ error: reason })
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
      )
      // end() only half-closes: a slowloris client that never reads or closes would keep the socket.
      setTimeout(() => socket.destroy(), 1000).unref()
    })
    // Idle connections stay 30 s, but answers tell clients 5 s (KEEP_ALIVE_HINT): the client always
    // drops an idle socket long before the server does. With both at Node's 5 s, a busy client
    // reused sockets the server had just closed, and its posts failed (UND_ERR_SOCKET in the soak).
    this.http.keepAliveTimeout = 30_000
    this.http.maxHeadersCount = 100
    this.http.maxConnections = options.maxConnections ?? 2000
    capConnections(this.http, { perAddress: options.maxConnectionsPerAddress ?? 100, onlyBeforeFirstRequest: this.trustProxy }, this.log)
  }

  /** The in-process rooms (the embedded host's own room, tests); absent with an external store. */
  get rooms(): Rooms {
    if (!this.memory) throw new Error('this server keeps its rooms in an external store')
    return this.memory
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(port, host, () => {
        this.http.off('error', reject)
        resolve()
      })
    })
    return this.address()
  }

  address(): AddressInfo {
    return this.http.address() as AddressInfo
  }

  async close(): Promise<void> {
    await Promise.all([this.store.close(), this.groups.close()])
    this.http.closeAllConnections()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    // undefined: nothing was sent, because the client went away (an abandoned long poll).
    let status: number | undefined = 500
    // A socket over its address's connection cap has had its 429 already (connections.ts).
    if (isRefused(req.socket)) return void req.resume()
    try {
      if (this.allowedHosts) checkHost(req, this.allowedHosts)
      const address = clientAddress(req, this.trustProxy)
      if (!this.limiter.allow(address)) throw new SignalError(429, 'rate limited: slow down')
      const result = await this.route(req, res, address)
      if (result === undefined) {
        status = res.headersSent ? res.statusCode : undefined
        return
      }
      status = result.status
      const hint = res.shouldKeepAlive ? KEEP_ALIVE_HINT : {}
      if ('json' in result) sendText(res, result.status, result.json, hint)
      else send(res, result.status, result.body, hint)
    } catch (err) {
      status = err instanceof SignalError ? err.status : 500
      const message = err instanceof SignalError ? err.message : 'internal error'
      this.metrics.reject(status, message)
      const headers = err instanceof SignalError ? { ...err.headers } : {}
      // A body left unread (too big, or the server's upload budget ran out): do not read on.
      const unread = !req.complete
      if (unread) headers.connection = 'close'
      send(res, status, { error: message }, headers)
      if (unread) req.resume()
    } finally {
      // Only paths of the protocol are logged: an unknown path is whatever a client sent (a
      // misplaced token, say), and never reaches the log.
      const path = requestPath(req.url ?? '')
      this.log(`${req.method} ${path} ${status ?? 'client went away'} ${Date.now() - started}ms`)
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, address: string): Promise<Answer | undefined> {
    const url = requestUrl(req.url ?? '/')
    const parts = url.pathname.split('/').filter(Boolean)
    const method = req.method ?? 'GET'

    if (url.pathname === '/v1/health') {
      allow(method, ['GET'])
      const body: HealthResponse = { name: 'peerlens', protocol: PROTOCOL_VERSION, version: APP_VERSION }
      return { status: 200, body }
    }
    if (url.pathname === '/v1/rooms') {
      allow(method, ['POST'])
      await readJsonBody(req, { optional: true, budget: this.bodies })
      return { status: 201, body: await this.store.create(address) }
    }
    if (parts[0] === 'join' && parts.length === 2 && ROOM_ID.test(parts[1]!)) {
      allow(method, ['GET'])
      res.writeHead(200, JOIN_PAGE_HEADERS)
      res.end(joinPage(parts[1]!))
      return undefined
    }
    if (parts[0] === 'join-assets' && parts.length === 2) {
      allow(method, ['GET'])
      if (!isJoinAsset(parts[1]!)) throw new SignalError(404, 'no such path')
      if (!this.joinPageAssets) throw new SignalError(503, 'the join page is not built: run npm run build:cli')
      const asset = joinAsset(parts[1]!, this.joinPageAssets)!
      res.writeHead(200, { 'content-type': asset.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' })
      res.end(asset.body)
      return undefined
    }
    if (parts[0] === 'v1' && parts[1] === 'groups') {
      const gone = new AbortController()
      res.on('close', () => gone.abort())
      return routeGroups(req, url, parts, gone.signal, { groups: this.groups, bodies: this.bodies, address, polls: this.metrics, integer: integerParam, allow })
    }
    if (parts[0] === 'v1' && parts[1] === 'rooms' && parts.length === 4) {
      const room = parts[2]!
      if (!ROOM_ID.test(room)) throw new SignalError(404, 'unknown room')
      if (parts[3] === 'peers') {
        allow(method, ['POST'])
        const { value } = await readJsonBody(req, { budget: this.bodies })
        if (!isRecord(value) || typeof value.secret !== 'string') throw new SignalError(400, 'body needs a string "secret"')
        if (value.name !== undefined && (typeof value.name !== 'string' || value.name.length > 128)) {
          throw new SignalError(400, '"name" must be a string of at most 128 characters')
        }
        return { status: 201, body: await this.store.join(room, value.secret, value.name) }
      }
      if (parts[3] === 'messages') {
        allow(method, ['GET', 'POST'])
        const caller = await this.store.authenticate(room, bearer(req))
        if (method === 'POST') {
          const { value, text } = await readJsonBody(req, { budget: this.bodies })
          if (!isRecord(value) || typeof value.type !== 'string' || !MESSAGE_TYPE_PATTERN.test(value.type)) {
            throw new SignalError(400, 'body needs a "type" matching [a-z][a-z0-9-]{0,31}')
          }
          if (!('data' in value)) throw new SignalError(400, 'body needs a "data" field (null is fine)')
          // Stored as received: the text of "data", copied so it does not keep the whole body alive.
          const raw = Buffer.from(rawMember(text, 'data')!, 'utf8').toString('utf8')
          const seq = await this.store.postRaw(caller, value.type, raw)
          this.metrics.messages++
          return { status: 202, body: { seq } }
        }
        const after = integerParam(url, 'after', 0, Number.MAX_SAFE_INTEGER, 0)
        const wait = integerParam(url, 'wait', 0, MAX_WAIT_SECONDS, DEFAULT_WAIT_SECONDS)
        const gone = new AbortController()
        res.on('close', () => gone.abort())
        this.metrics.longPolls++
        const { messages, next } = await this.store.pollRaw(caller, after, wait * 1000, gone.signal).finally(() => this.metrics.longPolls--)
        if (gone.signal.aborted) return undefined
        return { status: 200, json: pollAnswer(messages, next) }
      }
    }
    throw new SignalError(404, 'no such path')
  }
}

type Answer = { status: number; body: unknown } | { status: number; json: string }

/**
 * The poll answer, `{"messages":[{"seq","from","type","data"}],"next"}`, built as text: each
 * message's data is the JSON text its sender posted, put in verbatim (never parsed on the way).
 */
function pollAnswer(messages: RawMessage[], next: number): string {
  const items = messages.map((m) => `{"seq":${m.seq},"from":${JSON.stringify(m.from)},"type":${JSON.stringify(m.type)},"data":${m.raw}}`)
  return `{"messages":[${items.join(',')}],"next":${next}}`
}

/** Set by hand, so Node does not announce its own timeout=30 (see keepAliveTimeout above). */
const KEEP_ALIVE_HINT = { connection: 'keep-alive', 'keep-alive': 'timeout=5' }

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

function clientErrorStatus(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'request headers too large']
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'request took too long']
  return [400, 'malformed HTTP request']
}

/**
 * The request target as a URL. `new URL('//a/b', base)` would read "a" as a host name (and throw
 * on some), so a path is appended to a fixed origin; an absolute-form target is parsed as it is.
 */
function requestUrl(target: string): URL {
  try {
    return target.startsWith('/') ? new URL('http://x' + target) : new URL(target)
  } catch {
    throw new SignalError(400, 'malformed request target')
  }
}

const LOGGED_PATH = /^\/(?:v1\/health|v1\/rooms|v1\/groups\/[A-Za-z0-9._-]{1,64}\/members(?:\/[A-Za-z0-9._-]{1,64}(?:\/messages)?)?|v1\/rooms\/[A-Za-z0-9_-]{1,64}\/(?:peers|messages)|join\/[A-Za-z0-9_-]{1,64}|join-assets\/join\.(?:js|css))$/

function requestPath(target: string): string {
  const path = target.split('?')[0]!
  return LOGGED_PATH.test(path) ? path : '(other path)'
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    throw new SignalError(405, `method ${method} not allowed; use ${methods.join(' or ')}`, { allow: methods.join(', ') })
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match ? match[1] : undefined
}

function integerParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name)
  if (raw === null) return fallback
  if (!INTEGER.test(raw)) throw new SignalError(400, `"${name}" must be a whole number from ${min} to ${max}`)
  const value = Number(raw)
  if (value < min || value > max) throw new SignalError(400, `"${name}" must be a whole number from ${min} to ${max}`)
  return value
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), headers)
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers
  })
  res.end(text)
}
