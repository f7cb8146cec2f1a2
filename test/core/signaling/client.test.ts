import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { SignalingServer } from '../../../src/core/signaling/server'
import { createRoom, health, httpChannel, joinRoom, SignalClientError } from '../../../src/core/signaling/client'
import type { SignalMessage } from '../../../src/shared/signaling'

const stops: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s()
})

async function startServer(port = 0) {
  const server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 } })
  const address = await server.listen(port)
  return { server, base: `http://127.0.0.1:${address.port}/`, port: address.port }
}

function collect(): { got: SignalMessage[]; until: (n: number, ms?: number) => Promise<void>; push: (m: SignalMessage) => void } {
  const got: SignalMessage[] = []
  let wake = () => {}
  return {
    got,
    push: (m) => {
      got.push(m)
      wake()
    },
    until: async (n, ms = 10_000) => {
      const deadline = Date.now() + ms
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${got.length} of ${n} messages`)
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, 50)
        })
      }
    }
  }
}

describe('signaling client', () => {
  it('sends a request again once when the kept-alive socket it went out on was dead (ECONNRESET), and never twice', async () => {
    // A raw server: the first request on each socket is answered (keep-alive), the second resets it
    // unanswered, as an instance killed behind a load balancer would.
    let requests = 0
    const sockets: Socket[] = []
    const tcp = createTcpServer((socket) => {
      sockets.push(socket)
      let answered = 0
      socket.on('data', () => {
        requests++
        if (answered++ > 0) return void socket.resetAndDestroy()
        const body = JSON.stringify({ name: 'peerlens', protocol: 1, version: 'x' })
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`)
      })
    })
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    stops.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), tcp.close(() => resolve()))))
    const base = `http://127.0.0.1:${(tcp.address() as { port: number }).port}/`
    expect((await health(base)).name).toBe('peerlens')
    // Goes out on the kept-alive socket, is reset, and is sent again on a new one.
    expect((await health(base)).name).toBe('peerlens')
    expect(requests).toBe(3)
    expect(sockets).toHaveLength(2)
  })

  it('creates, joins and relays in order both ways', async () => {
    const { server, base } = await startServer()
    stops.push(() => server.close())
    expect((await health(base)).protocol).toBe(1)
    const room = await createRoom(base)
    const joined = await joinRoom(base, room.room, room.secret, 'b')
    const host = httpChannel(base, room.room, 'host', room.hostToken, { waitSeconds: 2 })
    const join = httpChannel(base, room.room, joined.peerId, joined.token, { waitSeconds: 2 })
    stops.push(() => host.close(), () => join.close())
    const toJoin = collect()
    const toHost = collect()
    join.start(toJoin.push)
    host.start(toHost.push)
    for (let i = 0; i < 20; i++) await host.send('candidate', { i })
    await join.send('answer', { sdp: 'a' })
    await toJoin.until(20)
    await toHost.until(1)
    expect(toJoin.got.map((m) => (m.data as { i: number }).i)).toEqual([...Array(20).keys()])
    expect(toHost.got[0]).toMatchObject({ from: 'join', type: 'answer' })
  })

  it('maps refusals to statuses and an unreachable server to status 0', async () => {
    const { server, base } = await startServer()
    const room = await createRoom(base)
    await expect(joinRoom(base, room.room, 'wrong')).rejects.toMatchObject({ status: 403 })
    await expect(joinRoom(base, 'nosuch', room.secret)).rejects.toMatchObject({ status: 404 })
    await server.close()
    const err = await joinRoom(base, room.room, room.secret).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SignalClientError)
    expect((err as SignalClientError).status).toBe(0)
  })

  it('resumes by cursor after the server restarts between polls, losing nothing and duplicating nothing', async () => {
    // A stand-in proxy that kills every third poll mid-flight, in front of a real server.
    const { server, base } = await startServer()
    stops.push(() => server.close())
    const target = new URL(base)
    let polls = 0
    const proxy: Server = createServer((req, res) => {
      const isPoll = req.method === 'GET' && req.url?.includes('/messages')
      if (isPoll && ++polls % 3 === 0) {
        req.socket.destroy()
        return
      }
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', async () => {
        const r = await fetch(new URL(req.url!, target), { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined })
        const body = Buffer.from(await r.arrayBuffer())
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
        res.end(body)
      })
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    stops.push(() => new Promise<void>((r) => proxy.close(() => r())))
    const proxied = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`
    const room = await createRoom(base)
    const joined = await joinRoom(base, room.room, room.secret)
    const join = httpChannel(proxied, room.room, joined.peerId, joined.token, { waitSeconds: 1 })
    stops.push(() => join.close())
    const got = collect()
    join.start(got.push)
    const host = httpChannel(base, room.room, 'host', room.hostToken)
    for (let i = 0; i < 30; i++) {
      await host.send('candidate', { i })
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 30))
    }
    await got.until(30, 20_000)
    expect(got.got.map((m) => (m.data as { i: number }).i)).toEqual([...Array(30).keys()])
    expect(polls).toBeGreaterThan(3)
  })

  it('stops with an error when the room is gone', async () => {
    const { server, base } = await startServer()
    stops.push(() => server.close())
    const room = await createRoom(base)
    const host = httpChannel(base, room.room, 'host', room.hostToken, { waitSeconds: 1 })
    const error = new Promise<Error>((resolve) => host.start(() => {}, resolve))
    server.rooms.delete(room.room)
    const e = await error
    expect((e as SignalClientError).status).toBe(404)
    await host.close()
  })
})
