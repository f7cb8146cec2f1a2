import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { request as httpRequest } from 'node:http'
import { SignalingServer } from '../../../src/core/signaling/server'

let server: SignalingServer
let base: string

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } }
  // Every POST says application/json, the empty one that opens a room too.
  if (method === 'POST') (init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const res = await fetch(base + path, init)
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers }
}

async function room() {
  const created = await call('POST', '/v1/rooms')
  expect(created.status).toBe(201)
  const joined = await call('POST', `/v1/rooms/${created.body.room}/peers`, { secret: created.body.secret, name: 'laptop-b' })
  expect(joined.status).toBe(201)
  return { id: created.body.room as string, secret: created.body.secret as string, host: created.body.hostToken as string, join: joined.body.token as string }
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` })

beforeEach(async () => {
  server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 } })
  const { port } = await server.listen(0)
  base = `http://127.0.0.1:${port}`
})
afterEach(() => server.close())

describe('signaling server v1', () => {
  it('answers health', async () => {
    const res = await call('GET', '/v1/health')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'peerlens', protocol: 1 })
    expect(typeof res.body.version).toBe('string')
  })

  it('creates rooms with url-safe ids and secrets of at least 128 bits', async () => {
    const res = await call('POST', '/v1/rooms')
    expect(res.status).toBe(201)
    expect(res.body.room).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(Buffer.from(res.body.secret, 'base64url').length).toBeGreaterThanOrEqual(16)
    expect(res.body.hostToken).toBeTruthy()
  })

  it('relays messages both ways, in order, with one seq counter per room', async () => {
    const r = await room()
    const path = `/v1/rooms/${r.id}/messages`
    const a = await call('POST', path, { type: 'offer', data: { type: 'offer', sdp: 'x' } }, auth(r.host))
    const b = await call('POST', path, { type: 'answer', data: { type: 'answer', sdp: 'y' } }, auth(r.join))
    const c = await call('POST', path, { type: 'candidate', data: null }, auth(r.host))
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202])
    expect(b.body.seq).toBeGreaterThan(a.body.seq)
    expect(c.body.seq).toBeGreaterThan(b.body.seq)
    const toJoin = await call('GET', `${path}?after=0&wait=0`, undefined, auth(r.join))
    expect(toJoin.body.messages.map((m: { seq: number }) => m.seq)).toEqual([a.body.seq, c.body.seq])
    expect(toJoin.body.messages[0]).toEqual({ seq: a.body.seq, from: 'host', type: 'offer', data: { type: 'offer', sdp: 'x' } })
    expect(toJoin.body.next).toBe(c.body.seq)
    const toHost = await call('GET', `${path}?after=0&wait=0`, undefined, auth(r.host))
    expect(toHost.body.messages).toEqual([{ seq: b.body.seq, from: 'join', type: 'answer', data: { type: 'answer', sdp: 'y' } }])
    const empty = await call('GET', `${path}?after=${toHost.body.next}&wait=0`, undefined, auth(r.host))
    expect(empty.body).toEqual({ messages: [], next: toHost.body.next })
  })

  it('holds a long poll until a message arrives', async () => {
    const r = await room()
    const path = `/v1/rooms/${r.id}/messages`
    const started = Date.now()
    const poll = call('GET', `${path}?after=0&wait=10`, undefined, auth(r.join))
    await new Promise((res) => setTimeout(res, 200))
    await call('POST', path, { type: 'hello', data: { n: 1 } }, auth(r.host))
    const res = await poll
    expect(res.body.messages).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(9000)
  })

  it('returns empty when wait runs out', async () => {
    const r = await room()
    const res = await call('GET', `/v1/rooms/${r.id}/messages?after=0&wait=1`, undefined, auth(r.host))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ messages: [], next: 0 })
  })

  it('loses nothing when a poll dies mid-delivery: the same cursor gets the messages again', async () => {
    const r = await room()
    const path = `/v1/rooms/${r.id}/messages`
    // Open a poll and kill its connection before the message is posted.
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${base}${path}?after=0&wait=5`, { headers: auth(r.join) })
      req.on('error', () => resolve())
      req.end()
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 100)
    })
    await call('POST', path, { type: 'offer', data: 1 }, auth(r.host))
    // A poll whose response is lost on the wire: the client never saw it and asks again.
    await call('GET', `${path}?after=0&wait=0`, undefined, auth(r.join))
    const again = await call('GET', `${path}?after=0&wait=0`, undefined, auth(r.join))
    expect(again.body.messages.map((m: { data: number }) => m.data)).toEqual([1])
  })

  it('frees acknowledged messages and keeps serving later ones', async () => {
    const r = await room()
    const path = `/v1/rooms/${r.id}/messages`
    for (let i = 1; i <= 5; i++) await call('POST', path, { type: 'candidate', data: i }, auth(r.host))
    const first = await call('GET', `${path}?after=2&wait=0`, undefined, auth(r.join))
    expect(first.body.messages.map((m: { data: number }) => m.data)).toEqual([3, 4, 5])
    const older = await call('GET', `${path}?after=0&wait=0`, undefined, auth(r.join))
    // Messages 1-2 were acknowledged by polling past them.
    expect(older.body.messages.map((m: { data: number }) => m.data)).toEqual([3, 4, 5])
  })

  describe('errors', () => {
    it('403 wrong secret, 404 unknown room, 409 third peer', async () => {
      const r = await room()
      expect((await call('POST', `/v1/rooms/${r.id}/peers`, { secret: 'nope' })).status).toBe(403)
      expect((await call('POST', `/v1/rooms/nosuchroom/peers`, { secret: r.secret })).status).toBe(404)
      const third = await call('POST', `/v1/rooms/${r.id}/peers`, { secret: r.secret })
      expect(third.status).toBe(409)
      expect(third.body.error).toMatch(/already/)
    })

    it('401 for missing, invalid and other-room tokens', async () => {
      const r = await room()
      const other = await room()
      const path = `/v1/rooms/${r.id}/messages`
      const missing = await call('POST', path, { type: 'offer', data: 1 })
      expect(missing.status).toBe(401)
      expect(missing.body.error).toBeTruthy()
      expect((await call('POST', path, { type: 'offer', data: 1 }, auth('bogus'))).status).toBe(401)
      expect((await call('GET', `${path}?wait=0`, undefined, auth(other.host))).status).toBe(401)
      expect((await call('GET', `${path}?wait=0`, undefined, { authorization: 'Basic abc' })).status).toBe(401)
    })

    it('400 for malformed JSON, bad fields, bad type names and wait out of range', async () => {
      const r = await room()
      const path = `/v1/rooms/${r.id}/messages`
      expect((await call('POST', path, '{"type":', auth(r.host))).status).toBe(400)
      expect((await call('POST', path, { type: 'Offer', data: 1 }, auth(r.host))).status).toBe(400)
      expect((await call('POST', path, { type: 'a'.repeat(33), data: 1 }, auth(r.host))).status).toBe(400)
      expect((await call('POST', path, { type: 'offer' }, auth(r.host))).status).toBe(400)
      expect((await call('POST', path, [1, 2], auth(r.host))).status).toBe(400)
      expect((await call('POST', `/v1/rooms/${r.id}/peers`, { secret: 5 })).status).toBe(400)
      for (const q of ['wait=31', 'wait=-1', 'wait=abc', 'wait=1.5', 'after=-3', 'after=x']) {
        const res = await call('GET', `${path}?${q}`, undefined, auth(r.host))
        expect(res.status, q).toBe(400)
      }
      const deep = '['.repeat(5000) + ']'.repeat(5000)
      expect((await call('POST', path, `{"type":"offer","data":${deep}}`, auth(r.host))).status).toBe(400)
      const badUtf8 = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(r.host) },
        body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])
      })
      expect(badUtf8.status).toBe(400)
    })

    it('404 unknown path, 405 wrong method with Allow, 413 big body, 415 not JSON', async () => {
      const r = await room()
      expect((await call('GET', '/nope')).status).toBe(404)
      expect((await call('GET', '/v1/rooms/../../etc/passwd')).status).toBe(404)
      const wrong = await call('DELETE', '/v1/health')
      expect(wrong.status).toBe(405)
      expect(wrong.headers.get('allow')).toBe('GET')
      expect((await call('GET', '/v1/rooms')).status).toBe(405)
      const big = await call('POST', `/v1/rooms/${r.id}/messages`, { type: 'offer', data: 'x'.repeat(70 * 1024) }, auth(r.host))
      expect(big.status).toBe(413)
      const text = await call('POST', `/v1/rooms/${r.id}/messages`, 'type=offer', { 'content-type': 'text/plain', ...auth(r.host) })
      expect(text.status).toBe(415)
      // Still serving after all of that.
      expect((await call('GET', '/v1/health')).status).toBe(200)
    })

    it('429 when one address sends a burst over its limit', async () => {
      await server.close()
      server = new SignalingServer({ rateLimit: { perSecond: 1, burst: 5 } })
      base = `http://127.0.0.1:${(await server.listen(0)).port}`
      const statuses: number[] = []
      for (let i = 0; i < 8; i++) statuses.push((await call('GET', '/v1/health')).status)
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
      expect(statuses.slice(5)).toContain(429)
    })
  })

  it('expires idle rooms', async () => {
    await server.close()
    let now = 1_000_000
    server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, ttlMs: 60_000, now: () => now })
    base = `http://127.0.0.1:${(await server.listen(0)).port}`
    const r = await room()
    now += 30_000
    expect(server.rooms.sweep()).toBe(0)
    expect((await call('GET', `/v1/rooms/${r.id}/messages?wait=0`, undefined, auth(r.host))).status).toBe(200)
    now += 61_000
    expect(server.rooms.sweep()).toBe(1)
    expect((await call('GET', `/v1/rooms/${r.id}/messages?wait=0`, undefined, auth(r.host))).status).toBe(404)
  })

  it('logs an abandoned long poll as the client going away, never as a 500 it did not send', async () => {
    await server.close()
    const lines: string[] = []
    server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, log: (l) => lines.push(l) })
    base = `http://127.0.0.1:${(await server.listen(0)).port}`
    const r = await room()
    const abort = new AbortController()
    const poll = fetch(`${base}/v1/rooms/${r.id}/messages?wait=20`, { headers: auth(r.join), signal: abort.signal }).catch((e: Error) => e)
    await new Promise((resolve) => setTimeout(resolve, 200))
    abort.abort()
    expect(await poll).toBeInstanceOf(Error)
    for (let i = 0; i < 50 && !lines.some((l) => l.startsWith('GET /v1/rooms/')); i++) await new Promise((resolve) => setTimeout(resolve, 20))
    const logged = lines.find((l) => l.startsWith('GET /v1/rooms/'))
    expect(logged).toMatch(/ client went away \d+ms$/)
    expect(lines.join('\n')).not.toMatch(/ 500 /)
    // A page served by hand (the join page) is logged with the status it was sent with.
    await fetch(`${base}/join/${r.id}`)
    expect(lines.at(-1)).toMatch(/^GET \/join\/\S+ 200 /)
  })
})
