// The network half of the port-mapping clients: one UDP request/answer with retransmissions toward the
// gateway, and small bounded HTTP requests for UPnP. Never throws: a result or a one-line reason.
import { createSocket, type Socket } from 'node:dgram'
import { request } from 'node:http'

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; reason: string; ms: number; resultCode?: number }

/** The address our packets toward `gateway` leave from (the route's source address), or null. */
export function localAddressToward(gateway: string): Promise<string | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4')
    const done = (v: string | null) => {
      s.close()
      resolve(v)
    }
    s.once('error', () => done(null))
    s.connect(9, gateway, () => {
      try {
        done(s.address().address)
      } catch {
        done(null)
      }
    })
  })
}

export interface UdpAsk<T> {
  gateway: string
  port: number
  message: Buffer
  /** Reads an answer; a non-ok decode ends the exchange with its reason (the gateway said something we cannot use). */
  decode: (b: Buffer) => { ok: true; value: T } | { ok: false; reason: string; resultCode?: number }
  /** Whole exchange, ms. */
  timeoutMs: number
  /** First retransmission after this (RFC 6886: 250 ms, doubling). */
  firstRtoMs?: number
  /** Send from this socket instead of a fresh one (a mapping for that socket's port needs no socket of ours). */
  socket?: Socket
}

/** One request to gateway:port, retransmitted (250, 500, 1000 ms ...) until an answer from there or the timeout. */
export function askUdp<T>(ask: UdpAsk<T>): Promise<Outcome<T>> {
  const t0 = performance.now()
  const ms = () => Math.round(performance.now() - t0)
  return new Promise((resolve) => {
    const s = ask.socket ?? createSocket('udp4')
    let rto = ask.firstRtoMs ?? 250
    let finished = false
    let timer: NodeJS.Timeout | undefined
    const finish = (o: Outcome<T>) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      clearTimeout(deadline)
      s.off('message', onMessage)
      if (!ask.socket) s.close()
      resolve(o)
    }
    const onMessage = (b: Buffer, rinfo: { address: string; port: number }) => {
      if (rinfo.address !== ask.gateway || rinfo.port !== ask.port) return
      const d = ask.decode(b)
      finish(d.ok ? { ok: true, value: d.value, ms: ms() } : { ok: false, reason: d.reason, ms: ms(), ...(d.resultCode !== undefined ? { resultCode: d.resultCode } : {}) })
    }
    const send = () => {
      const done = (err: Error | null) => {
        if (err) finish({ ok: false, reason: refusedOr(err, `cannot send to ${ask.gateway}:${ask.port}: ${err.message}`), ms: ms() })
      }
      // Our own socket is connected, so an ICMP port unreachable ends the wait at once.
      if (ask.socket) s.send(ask.message, ask.port, ask.gateway, done)
      else s.send(ask.message, done)
      timer = setTimeout(send, rto)
      rto *= 2
    }
    const deadline = setTimeout(() => finish({ ok: false, reason: `no answer from ${ask.gateway}:${ask.port} within ${ask.timeoutMs} ms`, ms: ms() }), ask.timeoutMs)
    s.on('message', onMessage)
    s.on('error', (err) => finish({ ok: false, reason: refusedOr(err, `socket error: ${err.message}`), ms: ms() }))
    if (ask.socket) send()
    else s.bind(0, () => s.connect(ask.port, ask.gateway, send))
  })
}

function refusedOr(err: Error, otherwise: string): string {
  return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'the gateway refused (ICMP port unreachable: nothing listens there)' : otherwise
}

export interface HttpAnswer {
  status: number
  body: string
}

/** A bounded HTTP request (UPnP descriptions and SOAP): at most `maxBytes` of body, `timeoutMs` in all. */
export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number; maxBytes?: number }): Promise<Outcome<HttpAnswer>> {
  const t0 = performance.now()
  const ms = () => Math.round(performance.now() - t0)
  const maxBytes = options.maxBytes ?? 256 * 1024
  return new Promise((resolve) => {
    let settled = false
    const done = (o: Outcome<HttpAnswer>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(o)
    }
    const req = request(url, { method: options.method ?? 'GET', headers: { Connection: 'close', ...options.headers } }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > maxBytes) return done({ ok: false, reason: `${url}: answer larger than ${maxBytes} bytes`, ms: ms() })
        chunks.push(c)
      })
      res.on('end', () => done({ ok: true, value: { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }, ms: ms() }))
      res.on('error', (err) => done({ ok: false, reason: `${url}: ${err.message}`, ms: ms() }))
    })
    const timer = setTimeout(() => done({ ok: false, reason: `${url}: no answer within ${options.timeoutMs} ms`, ms: ms() }), options.timeoutMs)
    req.on('error', (err) => done({ ok: false, reason: `${url}: ${err.message}`, ms: ms() }))
    req.end(options.body)
  })
}
