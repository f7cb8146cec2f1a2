import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../../../src/core/signaling/server'
import { RedisStore, type RedisStoreOptions } from '../../../../src/core/signaling/redis/store'
import { parseRedisUrl } from '../../../../src/core/signaling/redis/resp'
import { HAVE_REDIS, NO_REDIS, startRedis, type RedisServer } from '../../../helpers/redis'

if (!HAVE_REDIS) console.warn(NO_REDIS)

let redis: RedisServer
const servers: SignalingServer[] = []
let prefixCount = 0

beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** `count` servers sharing one Redis (a fresh key prefix per test), as instances behind a load balancer. */
async function instances(count: number, options: RedisStoreOptions = {}): Promise<string[]> {
  const prefix = `t${++prefixCount}:`
  const bases: string[] = []
  for (let i = 0; i < count; i++) {
    const store = new RedisStore(parseRedisUrl(redis.url), { prefix, ...options })
    await store.connect()
    const server = new SignalingServer({ store, rateLimit: { perSecond: 0, burst: 0 } })
    servers.push(server)
    bases.push(`http://127.0.0.1:${(await server.listen(0)).port}`)
  }
  return bases
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {}
  if (method === 'POST') headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(base + path, { method, headers, body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

async function room(hostBase: string, joinBase: string) {
  const created = await call(hostBase, 'POST', '/v1/rooms')
  expect(created.status).toBe(201)
  const joined = await call(joinBase, 'POST', `/v1/rooms/${created.body.room}/peers`, { secret: created.body.secret })
  expect(joined.status).toBe(201)
  return { id: created.body.room as string, secret: created.body.secret as string, host: created.body.hostToken as string, join: joined.body.token as string }
}

describe.skipIf(!HAVE_REDIS)('the Redis room store behind several instances', () => {
  it('delivers in order, loses nothing and resumes from the cursor across instances', async () => {
    const [a, b, c] = await instances(3)
    const r = await room(a!, b!)
    // The host posts 30 messages, each through another instance.
    for (let i = 1; i <= 30; i++) {
      const posted = await call([a, b, c][i % 3]!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'candidate', data: { i, text: 'é✓' } }, r.host)
      expect(posted.status).toBe(202)
      expect(posted.body.seq).toBe(i)
    }
    // The joiner reads a few at a time from whichever instance; the cursor carries across.
    const got: number[] = []
    const first = await call(b!, 'GET', `/v1/rooms/${r.id}/messages?after=0&wait=0`, undefined, r.join)
    expect(first.body.messages).toHaveLength(30)
    // Resume from the middle on another instance: everything after the cursor, nothing before it.
    const resumed = await call(c!, 'GET', `/v1/rooms/${r.id}/messages?after=12&wait=0`, undefined, r.join)
    expect(resumed.body.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 13))
    for (const m of resumed.body.messages) got.push(m.data.i)
    expect(resumed.body.next).toBe(30)
    expect(got).toEqual(Array.from({ length: 18 }, (_, i) => i + 13))
    expect(resumed.body.messages[0].data.text).toBe('é✓')
    expect(resumed.body.messages[0].from).toBe('host')
    // Acknowledged: an older cursor now sees only what is after 12 (1..12 are gone for good).
    const again = await call(a!, 'GET', `/v1/rooms/${r.id}/messages?after=0&wait=0`, undefined, r.join)
    expect(again.body.messages[0].seq).toBe(13)
    await call(a!, 'GET', `/v1/rooms/${r.id}/messages?after=30&wait=0`, undefined, r.join)
    const stats = await servers[0]!.store.stats()
    expect(stats).toMatchObject({ rooms: 1, peers: 2, messages: 0, storedBytes: 0 })
  })

  it('wakes a long poll on one instance when a message is posted on another', async () => {
    const [a, b] = await instances(2)
    const r = await room(a!, a!)
    const started = Date.now()
    const poll = call(a!, 'GET', `/v1/rooms/${r.id}/messages?after=0&wait=20`, undefined, r.join)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await call(b!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'offer', data: { sdp: 'v=0' } }, r.host)).status).toBe(202)
    const answer = await poll
    expect(answer.status).toBe(200)
    expect(answer.body.messages).toEqual([{ seq: 1, from: 'host', type: 'offer', data: { sdp: 'v=0' } }])
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('keeps the room rules: one joiner, secrets, tokens, budgets', async () => {
    const [a, b] = await instances(2, { maxPendingBytes: 2200 })
    const r = await room(a!, b!)
    expect((await call(a!, 'POST', `/v1/rooms/${r.id}/peers`, { secret: r.secret })).status).toBe(409)
    expect((await call(b!, 'POST', `/v1/rooms/${r.id}/peers`, { secret: 'wrong' })).status).toBe(403)
    expect((await call(b!, 'POST', `/v1/rooms/nope/peers`, { secret: 'x' })).status).toBe(404)
    expect((await call(b!, 'GET', `/v1/rooms/${r.id}/messages?wait=0`, undefined, 'not-a-token')).status).toBe(401)
    expect((await call(b!, 'GET', `/v1/rooms/${r.id}/messages?wait=0`)).status).toBe(401)
    const big = 'x'.repeat(900)
    expect((await call(a!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'a', data: big }, r.host)).status).toBe(202)
    expect((await call(b!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'a', data: big }, r.host)).status).toBe(202)
    const refused = await call(a!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'a', data: big }, r.host)
    expect(refused.status).toBe(429)
    expect(refused.body.error).toMatch(/undelivered messages in this room/)
    // Reading them frees the room's budget.
    await call(b!, 'GET', `/v1/rooms/${r.id}/messages?after=2&wait=0`, undefined, r.join)
    expect((await call(a!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'a', data: big }, r.host)).status).toBe(202)
  })

  it('frees the place of a joiner that went quiet and tells the host, as the memory store does', async () => {
    const [a, b] = await instances(2, { joinerIdleMs: 300 })
    const r = await room(a!, b!)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const notice = await call(a!, 'GET', `/v1/rooms/${r.id}/messages?after=0&wait=0`, undefined, r.host)
    expect(notice.body.messages).toEqual([{ seq: 1, from: 'server', type: 'peer-left', data: { peer: 'join', reason: 'the joiner went quiet before saying hello' } }])
    expect((await call(b!, 'POST', `/v1/rooms/${r.id}/peers`, { secret: r.secret })).status).toBe(201)
    expect((await call(b!, 'GET', `/v1/rooms/${r.id}/messages?wait=0`, undefined, r.join)).status).toBe(401)
  })

  it('deletes idle rooms after the TTL, with their messages and budget', async () => {
    const [a] = await instances(1, { ttlMs: 500 })
    const r = await room(a!, a!)
    await call(a!, 'POST', `/v1/rooms/${r.id}/messages`, { type: 'a', data: 1 }, r.host)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect((await call(a!, 'GET', `/v1/rooms/${r.id}/messages?wait=0`, undefined, r.join)).status).toBe(404)
    expect(await servers[0]!.store.stats()).toMatchObject({ rooms: 0, peers: 0, messages: 0, storedBytes: 0 })
  })

  it('answers 503 while Redis is down and recovers when it returns', async () => {
    const [a] = await instances(1)
    expect((await call(a!, 'POST', '/v1/rooms')).status).toBe(201)
    const r = await room(a!, a!)
    const waiting = call(a!, 'GET', `/v1/rooms/${r.id}/messages?after=0&wait=25`, undefined, r.join)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const cutAt = Date.now()
    await redis.stop()
    // The waiting poll answers at once (503), not after its 25 s.
    expect((await waiting).status).toBe(503)
    expect(Date.now() - cutAt).toBeLessThan(3000)
    try {
      const down = await call(a!, 'POST', '/v1/rooms')
      expect(down.status).toBe(503)
      expect(down.body.error).toMatch(/^storage unavailable: .*Redis at redis:\/\/127\.0\.0\.1:\d+/)
      const families = await servers[0]!.metrics.collect()
      expect(families.find((f) => f.name === 'peerlens_signal_store_up')!.samples[0]!.value).toBe(0)
      expect(servers[0]!.metrics.rejected('store_unavailable')).toBe(2)
    } finally {
      await redis.start()
    }
    const deadline = Date.now() + 5000
    let status = 0
    while (Date.now() < deadline && status !== 201) {
      status = (await call(a!, 'POST', '/v1/rooms')).status
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(201)
  })
})
