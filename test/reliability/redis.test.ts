import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli, type Running } from '../helpers/cli'
import { HAVE_REDIS, NO_REDIS, freePort, startRedis, type RedisServer } from '../helpers/redis'
import { StunResponder } from '../../src/core/stun/responder'
import { roundRobin, type LoadBalancer } from './lbProxy'

// `peerlens signal --redis` as real processes: several instances share one Redis, behind a
// round-robin TCP proxy standing in for the load balancer. Nothing leaves the machine: a STUN
// responder on loopback is every peer's STUN server.

if (!HAVE_REDIS) console.warn(NO_REDIS)

let redis: RedisServer
let stun: StunResponder
let stunUrl: string
const running: Running[] = []
const balancers: LoadBalancer[] = []

beforeAll(async () => {
  if (!HAVE_REDIS) return
  redis = await startRedis()
  stun = new StunResponder()
  stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
})
afterAll(async () => {
  await redis?.stop()
  await stun?.close()
})
afterEach(async () => {
  for (const r of running.splice(0)) r.kill()
  for (const b of balancers.splice(0)) await b.close()
})

function start(args: string[]): Running {
  const r = startCli(args)
  running.push(r)
  return r
}

async function instance(extra: string[] = []): Promise<{ run: Running; base: string; port: number }> {
  const run = start(['signal', '--listen', '127.0.0.1:0', '--redis', redis.url, '--quiet', ...extra])
  const base = (await run.waitFor(/^listening: /)).slice('listening: '.length)
  return { run, base, port: Number(new URL(base).port) }
}

async function json(base: string, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {}
  if (method === 'POST') headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(new URL(path, base), { method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

describe.skipIf(!HAVE_REDIS)('peerlens signal --redis: instances share rooms', () => {
  it('a host on one instance and a joiner on another connect', async () => {
    const [a, b] = [await instance(), await instance()]
    const host = start(['host', '--signal', a.base, '--stun', stunUrl, '--timeout', '30'])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    expect(invite.startsWith(a.base)).toBe(true)
    const joiner = await runCli(['join', b.base + invite.slice(a.base.length), '--stun', stunUrl, '--timeout', '30'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(joiner.stdout).toMatch(/^result: direct/m)
    expect(await host.exit, host.stderr()).toBe(0)
  })

  it('loses nothing when the host\'s instance is killed mid-session: both fail over behind the balancer', async () => {
    const [a, b] = [await instance(), await instance()]
    const lb = await roundRobin([a.port, b.port])
    balancers.push(lb)
    const base = `http://127.0.0.1:${lb.port}/`
    const host = start(['host', '--signal', base, '--stun', stunUrl, '--timeout', '40'])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    // The host created its room and now waits in a long poll on one instance: kill that one.
    const victim = [a, b][lb.routed[0]!]!
    victim.run.kill()
    await victim.run.exit
    const joiner = await runCli(['join', invite, '--stun', stunUrl, '--timeout', '40'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(joiner.stdout).toMatch(/^result: direct/m)
    expect(await host.exit, host.stderr()).toBe(0)
  })

  it('keeps order and every acknowledged message when an instance dies under a waiting poll', async () => {
    const [a, b] = [await instance(), await instance()]
    const room = await json(a.base, 'POST', '/v1/rooms')
    const joined = await json(b.base, 'POST', `/v1/rooms/${room.body.room}/peers`, { secret: room.body.secret })
    const path = `/v1/rooms/${room.body.room}/messages`
    // The joiner waits on A; the host posts 50 messages alternately on A and B; A is killed.
    const waiting = fetch(new URL(`${path}?after=0&wait=20`, a.base), { headers: { authorization: `Bearer ${joined.body.token}` } }).then(
      () => 'answered',
      () => 'cut'
    )
    for (let i = 1; i <= 50; i++) {
      const posted = await json([a, b][i % 2]!.base, 'POST', path, { type: 'candidate', data: { i } }, room.body.hostToken)
      expect(posted.status).toBe(202)
    }
    a.run.kill()
    await a.run.exit
    await waiting
    const killedAt = Date.now()
    const got = await json(b.base, 'GET', `${path}?after=0&wait=0`, undefined, joined.body.token)
    const failoverMs = Date.now() - killedAt
    expect(got.status).toBe(200)
    expect(got.body.messages.map((m: { data: { i: number } }) => m.data.i)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(got.body.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(failoverMs).toBeLessThan(2000)
  })

  it('refuses to start with a clear error when Redis is unreachable', async () => {
    const port = await freePort()
    const r = await runCli(['signal', '--listen', '127.0.0.1:0', '--redis', `redis://127.0.0.1:${port}`])
    expect(r.code).toBe(3)
    expect(r.stderr.trim()).toBe(`peerlens signal: cannot reach Redis at redis://127.0.0.1:${port}: ECONNREFUSED`)
    const bad = await runCli(['signal', '--redis', 'http://x'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--redis wants redis:\/\/HOST:PORT/)
  })

  it('answers 503 while Redis is down and serves again when it returns', async () => {
    const a = await instance()
    expect((await json(a.base, 'POST', '/v1/rooms')).status).toBe(201)
    await redis.stop()
    try {
      const down = await json(a.base, 'POST', '/v1/rooms')
      expect(down.status).toBe(503)
      expect(down.body.error).toMatch(/^storage unavailable/)
    } finally {
      await redis.start()
    }
    let status = 0
    for (const deadline = Date.now() + 5000; Date.now() < deadline && status !== 201; ) {
      status = (await json(a.base, 'POST', '/v1/rooms')).status
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(201)
  })
})
