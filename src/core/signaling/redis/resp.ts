// A minimal RESP2 client over node:net: the commands the Redis room store needs, pipelined on one
// socket (replies come back in order), reconnecting by itself. No npm package: the protocol is small.
import { connect, type Socket } from 'node:net'

export type Reply = string | number | null | Reply[] | RedisReplyError

/** An error reply from Redis (`-ERR ...`): returned inside arrays, thrown for a single command. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RedisReplyError'
  }
}

/** Redis cannot be reached (not connected, or the connection broke before the reply). */
export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RedisUnavailableError'
  }
}

export interface RedisTarget {
  host: string
  port: number
  password?: string
  username?: string
  db?: number
  /** As the user wrote it, without a password: for messages. */
  display: string
}

/** Reads `redis://[user:pass@]host[:port][/db]`; throws a one-line error for anything else. */
export function parseRedisUrl(text: string): RedisTarget {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`--redis wants redis://HOST:PORT, got ${JSON.stringify(text)}`)
  }
  if (url.protocol !== 'redis:' || !url.hostname) throw new Error(`--redis wants redis://HOST:PORT, got ${JSON.stringify(text)}`)
  const db = url.pathname.replace(/^\//, '')
  if (db && !/^\d{1,2}$/.test(db)) throw new Error(`--redis: the path is a database number, got ${JSON.stringify(url.pathname)}`)
  const port = url.port ? Number(url.port) : 6379
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return {
    host,
    port,
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(db ? { db: Number(db) } : {}),
    display: `redis://${url.host}${db ? '/' + db : ''}`
  }
}

interface Pending {
  resolve: (reply: Reply) => void
  reject: (error: Error) => void
}

export interface RedisClientOptions {
  /** Pushed messages of a subscriber connection (`message`, channel, payload). */
  onMessage?: (channel: string, payload: string) => void
  /** Called after every (re)connection, before queued work: re-subscribe, reload scripts. */
  onConnect?: () => void
  /** Called when an established connection is lost. */
  onClose?: () => void
  /** Milliseconds to wait for a connection (default 2000). */
  connectTimeoutMs?: number
}

/**
 * One connection to Redis. Commands are written at once and their replies matched in order.
 * While the connection is down every command fails at once with RedisUnavailableError (the
 * server answers 503 then), and the client reconnects in the background, backing off to 1 s.
 */
export class RedisClient {
  private socket: Socket | undefined
  private pending: Pending[] = []
  private buffer: Buffer = Buffer.alloc(0)
  private closed = false
  private retryTimer: NodeJS.Timeout | undefined
  private lastError = 'not connected'
  connected = false

  constructor(
    readonly target: RedisTarget,
    private readonly options: RedisClientOptions = {}
  ) {}

  /** Connects (and authenticates, selects the database); rejects with the reason when it cannot. */
  async connect(): Promise<void> {
    await this.open()
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.target.host, port: this.target.port })
      socket.setNoDelay(true)
      const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${this.options.connectTimeoutMs ?? 2000} ms`)), this.options.connectTimeoutMs ?? 2000)
      let settled = false
      socket.once('connect', () => {
        clearTimeout(timer)
        this.socket = socket
        this.buffer = Buffer.alloc(0)
        this.connected = true
        const hello: Promise<Reply>[] = []
        if (this.target.password !== undefined) {
          hello.push(this.command(this.target.username ? ['AUTH', this.target.username, this.target.password] : ['AUTH', this.target.password]))
        }
        if (this.target.db !== undefined) hello.push(this.command(['SELECT', this.target.db]))
        hello.push(this.command(['PING']))
        Promise.all(hello).then(
          () => {
            settled = true
            this.options.onConnect?.()
            resolve()
          },
          (err: Error) => {
            settled = true
            socket.destroy()
            reject(err)
          }
        )
      })
      socket.on('data', (chunk: Buffer) => this.receive(chunk))
      socket.on('error', (err: NodeJS.ErrnoException) => {
        this.lastError = err.code ?? err.message
      })
      socket.on('close', () => {
        clearTimeout(timer)
        if (this.socket === socket) this.socket = undefined
        this.connected = false
        const failed = this.pending
        this.pending = []
        for (const p of failed) p.reject(new RedisUnavailableError(`Redis at ${this.target.display} closed the connection`))
        if (settled) this.options.onClose?.()
        if (!settled) {
          settled = true
          reject(new RedisUnavailableError(`cannot reach Redis at ${this.target.display}: ${this.lastError}`))
        }
        this.scheduleReconnect(100)
      })
    })
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed || this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.closed || this.socket) return
      this.open().catch(() => this.scheduleReconnect(Math.min(delayMs * 2, 1000)))
    }, delayMs)
    this.retryTimer.unref()
  }

  /** Sends one command; resolves with its reply, rejects with an error reply or when Redis is unreachable. */
  command(args: Array<string | number>): Promise<Reply> {
    const socket = this.socket
    if (!socket || this.closed) return Promise.reject(new RedisUnavailableError(`cannot reach Redis at ${this.target.display}: ${this.lastError}`))
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: (reply) => (reply instanceof RedisReplyError ? reject(reply) : resolve(reply)),
        reject
      })
      socket.write(encode(args))
    })
  }

  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.socket?.destroy()
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    let offset = 0
    for (;;) {
      const parsed = parse(this.buffer, offset)
      if (!parsed) break
      offset = parsed.next
      const reply = parsed.reply
      if (this.options.onMessage && Array.isArray(reply) && reply[0] === 'message') {
        this.options.onMessage(String(reply[1]), String(reply[2]))
        continue
      }
      this.pending.shift()?.resolve(reply)
    }
    this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset)
  }
}

function encode(args: Array<string | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const b = Buffer.from(String(arg), 'utf8')
    parts.push(Buffer.from(`$${b.length}\r\n`), b, CRLF)
  }
  return Buffer.concat(parts)
}

const CRLF = Buffer.from('\r\n')

/** One reply starting at `offset`, or undefined when the buffer does not hold all of it yet. */
function parse(buf: Buffer, offset: number): { reply: Reply; next: number } | undefined {
  if (offset >= buf.length) return undefined
  const end = buf.indexOf('\r\n', offset)
  if (end < 0) return undefined
  const type = String.fromCharCode(buf[offset]!)
  const line = buf.toString('utf8', offset + 1, end)
  const after = end + 2
  switch (type) {
    case '+':
      return { reply: line, next: after }
    case '-':
      return { reply: new RedisReplyError(line), next: after }
    case ':':
      return { reply: Number(line), next: after }
    case '$': {
      const n = Number(line)
      if (n < 0) return { reply: null, next: after }
      if (buf.length < after + n + 2) return undefined
      return { reply: buf.toString('utf8', after, after + n), next: after + n + 2 }
    }
    case '*': {
      const n = Number(line)
      if (n < 0) return { reply: null, next: after }
      const items: Reply[] = []
      let next = after
      for (let i = 0; i < n; i++) {
        const item = parse(buf, next)
        if (!item) return undefined
        items.push(item.reply)
        next = item.next
      }
      return { reply: items, next }
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`)
  }
}
