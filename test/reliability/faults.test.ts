// Signaling under faults: long polls cut mid-delivery, clients that vanish, slowloris, bursts from
// one address, and a restart of a real `peerlens signal` process. Acknowledged means what the
// protocol says: a post answered 202 is stored, and stays until its addressee polls past it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connect, createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { SignalingServer } from '../../src/core/signaling/server'
import { createRoom, httpChannel, joinRoom, SignalClientError } from '../../src/core/signaling/client'
import { exchangeMany } from '../../bench/soak/exchange'
import { startCutProxy } from './cutProxy'
import { call, errorOf } from './http'
import { startCli } from '../helpers/cli'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const NO_LIMIT = { perSecond: 0, burst: 0 }

describe('signaling under faults', () => {
  let server: SignalingServer
  let port: number
  let skew = 0
  beforeAll(async () => {
    server = new SignalingServer({ rateLimit: NO_LIMIT, maxConnectionsPerAddress: 0, now: () => Date.now() + skew, headersTimeoutMs: 1500, requestTimeoutMs: 3000 })
    port = (await server.listen(0)).port
  })
  afterAll(() => server.close())

  it('long polls cut at random mid-delivery: every message still arrives once and in order', async () => {
    // A seeded generator, so a failure can be replayed.
    let seed = 42
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const proxy = await startCutProxy(port, 0.3, random)
    try {
      const { results, failures } = await exchangeMany(`http://127.0.0.1:${proxy.port}/`, 20, { candidates: 6, waitSeconds: 2, timeoutMs: 40_000 })
      expect(failures).toEqual([])
      for (const r of results) {
        expect(r.problems).toEqual([])
        expect(r.received[0].length + r.received[1].length).toBe(r.sent)
      }
      expect(proxy.cuts()).toBeGreaterThan(20)
    } finally {
      await proxy.close()
    }
  })

  it('clients that vanish mid-poll leave nothing behind: their rooms expire and the server serves on', async () => {
    const before = server.rooms.size
    const sockets: Socket[] = []
    for (let i = 0; i < 30; i++) {
      const room = await createRoom(`http://127.0.0.1:${port}/`)
      const join = await joinRoom(`http://127.0.0.1:${port}/`, room.room, room.secret)
      // The host leaves a message nobody will read; the joiner opens a long poll and disappears.
      await call(port, 'POST', `/v1/rooms/${room.room}/messages`, {
        body: JSON.stringify({ type: 'offer', data: { sdp: 'x'.repeat(1000) } }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${room.hostToken}` }
      })
      const socket = connect(port, '127.0.0.1')
      socket.on('error', () => {})
      socket.write(`GET /v1/rooms/${room.room}/messages?after=1&wait=30 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${join.token}\r\n\r\n`)
      sockets.push(socket)
    }
    await sleep(200)
    for (const s of sockets) s.destroy()
    expect(server.rooms.size).toBe(before + 30)
    // Once the TTL has passed, the sweep frees every room: no poll is left waiting on any of them.
    const deadline = Date.now() + 5000
    while (server.rooms.size > before && Date.now() < deadline) {
      skew += 11 * 60_000
      server.rooms.sweep()
      await sleep(50)
    }
    expect(server.rooms.size).toBe(0)
    expect((await call(port, 'GET', '/v1/health')).status).toBe(200)
  })

  it('a slowloris client holding 100 connections: others are served, and its sockets are closed', async () => {
    const closed: boolean[] = []
    const sockets: Socket[] = []
    for (let i = 0; i < 100; i++) {
      const s = connect(port, '127.0.0.1')
      const index = closed.push(false) - 1
      s.on('close', () => (closed[index] = true))
      s.on('error', () => {})
      s.write('GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ')
      sockets.push(s)
    }
    // One header byte every 300 ms, never finishing.
    const drip = setInterval(() => sockets.forEach((s) => s.writable && s.write('a')), 300)
    try {
      const { results, failures } = await exchangeMany(`http://127.0.0.1:${port}/`, 5, { candidates: 2, waitSeconds: 2, timeoutMs: 20_000 })
      expect(failures).toEqual([])
      expect(results.every((r) => r.problems.length === 0)).toBe(true)
      // headersTimeoutMs is 1.5 s here (10 s by default), checked every second.
      const deadline = Date.now() + 6000
      while (closed.some((c) => !c) && Date.now() < deadline) await sleep(100)
      expect(closed.filter((c) => !c)).toHaveLength(0)
    } finally {
      clearInterval(drip)
      sockets.forEach((s) => s.destroy())
    }
  })
})

describe('bursts from one address', () => {
  let server: SignalingServer
  let port: number
  beforeAll(async () => {
    // A slow refill (2/s), so a busy machine taking seconds over the burst cannot blur the count.
    server = new SignalingServer({ rateLimit: { perSecond: 2, burst: 40 } })
    port = (await server.listen(0)).port
  })
  afterAll(() => server.close())

  it('answers 429 past the burst, keeps serving other addresses, and lets the address back in after a pause', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => call(port, 'GET', '/v1/health')))
    const ok = answers.filter((a) => a.status === 200).length
    const limited = answers.filter((a) => a.status === 429)
    expect(ok).toBeGreaterThanOrEqual(40)
    expect(ok).toBeLessThan(60)
    expect(limited.length + ok).toBe(200)
    expect(errorOf(limited[0]!.body)).toMatch(/rate limited/)
    // Another address (127.0.0.2 is loopback too) has its own bucket.
    expect((await call(port, 'GET', '/v1/health', { localAddress: '127.0.0.2' })).status).toBe(200)
    await sleep(600)
    expect((await call(port, 'GET', '/v1/health')).status).toBe(200)
  })
})

describe('peerlens signal --rate-limit', () => {
  it('answers 429 past the burst (4 x the rate) from one address', async () => {
    const signal = startCli(['signal', '--listen', '127.0.0.1:0', '--rate-limit', '2', '--quiet'])
    try {
      const port = Number(/:(\d+)\/$/.exec(await signal.waitFor(/^listening: /))![1])
      const answers = await Promise.all(Array.from({ length: 40 }, () => call(port, 'GET', '/v1/health')))
      const ok = answers.filter((a) => a.status === 200).length
      expect(ok).toBeGreaterThanOrEqual(8)
      expect(ok).toBeLessThan(20)
      expect(answers.filter((a) => a.status === 429)).toHaveLength(40 - ok)
    } finally {
      signal.child.kill('SIGTERM')
      await signal.exit
    }
  })
})

describe('a standalone server restart', () => {
  let running: ReturnType<typeof startCli> | undefined
  afterEach(() => running?.kill())

  async function freePort(): Promise<number> {
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const { port } = probe.address() as AddressInfo
    await new Promise<void>((r) => probe.close(() => r()))
    return port
  }

  it('delivers what was acknowledged before it; afterwards the clients say the room is gone instead of hanging', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}/`
    running = startCli(['signal', '--listen', `127.0.0.1:${port}`, '--quiet'])
    await running.waitFor(/^listening: /)
    const room = await createRoom(base)
    const joined = await joinRoom(base, room.room, room.secret)
    const host = httpChannel(base, room.room, 'host', room.hostToken, { waitSeconds: 1, timeoutMs: 2000 })
    const join = httpChannel(base, room.room, 'join', joined.token, { waitSeconds: 1, timeoutMs: 2000 })
    const got: number[] = []
    let error: Error | undefined
    join.start((m) => got.push((m.data as { i: number }).i), (e) => (error = e))
    host.start(() => {})
    const acknowledged: number[] = []
    for (let i = 0; i < 5; i++) acknowledged.push(await host.send('candidate', { i }))
    while (got.length < 5) await sleep(20)
    expect(got).toEqual([0, 1, 2, 3, 4])

    running.child.kill('SIGTERM')
    expect(await running.exit).toBe(0)
    // While it is down, a post is refused outright (status 0): the sender knows it was not stored.
    const refused = await host.send('candidate', { i: 5 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(SignalClientError)
    expect((refused as SignalClientError).status).toBe(0)

    running = startCli(['signal', '--listen', `127.0.0.1:${port}`, '--quiet'])
    await running.waitFor(/^listening: /)
    // The joiner's poll loop retries with its cursor, then learns the room died with the old process.
    const deadline = Date.now() + 10_000
    while (!error && Date.now() < deadline) await sleep(50)
    expect(error?.message).toMatch(/room .* is gone from the signaling server \(it restarted, or the room expired\)/)
    expect(got).toEqual([0, 1, 2, 3, 4])
    await Promise.all([host.close(), join.close()])
  })
})
