// Issue 15, the server: what is stored is the text received (relayed verbatim) and counted against
// budgets; every POST is JSON; a Host check when configured; a joiner that never comes back gives
// its place up. Each case against a real SignalingServer on loopback.
import { afterEach, describe, expect, it } from 'vitest'
import { SignalingServer, type SignalingServerOptions } from '../../../src/core/signaling/server'
import { rawMember } from '../../../src/core/signaling/rawJson'
import { call, errorOf, raw } from '../../reliability/http'

const NO_LIMIT = { perSecond: 0, burst: 0 }
const json = { 'content-type': 'application/json' }
const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` })

let server: SignalingServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(options: SignalingServerOptions = {}): Promise<number> {
  server = new SignalingServer({ rateLimit: NO_LIMIT, ...options })
  return (await server.listen(0)).port
}

async function open(port: number, from?: string): Promise<{ room: string; secret: string; hostToken: string }> {
  const res = await call(port, 'POST', '/v1/rooms', { headers: json, localAddress: from })
  expect(res.status, res.body).toBe(201)
  return JSON.parse(res.body) as { room: string; secret: string; hostToken: string }
}

async function join(port: number, room: string, secret: string): Promise<{ status: number; token?: string }> {
  const res = await call(port, 'POST', `/v1/rooms/${room}/peers`, { body: JSON.stringify({ secret }), headers: json })
  return { status: res.status, token: res.status === 201 ? (JSON.parse(res.body) as { token: string }).token : undefined }
}

const post = (port: number, room: string, token: string, body: string) => call(port, 'POST', `/v1/rooms/${room}/messages`, { body, headers: bearer(token) })
const poll = (port: number, room: string, token: string, after = 0) => call(port, 'GET', `/v1/rooms/${room}/messages?after=${after}&wait=0`, { headers: bearer(token) })

/** A body of many small arrays: the shape whose parsed form takes tens of times its text. */
function arrays(bytes: number): string {
  const n = Math.floor((bytes - 40) / 3)
  return `{"type":"x","data":[${Array(n).fill('[]').join(',')}]}`
}

describe('messages are stored and relayed as the text received', () => {
  it('gives the reader the data exactly as posted, big numbers, spacing, escapes and duplicate keys included', async () => {
    const port = await start()
    const r = await open(port)
    const j = await join(port, r.room, r.secret)
    const datas = ['1e400', '1.0000000000000000001', '[ 1 ,\n\t2 ]', '"\\u00e9\\ud83d\\ude00 é 😀"', '{"a":1,"a":2,"__proto__":{"x":1}}', 'null', '-0', '{}']
    for (const data of datas) {
      expect((await post(port, r.room, j.token!, `{ "type" : "offer", "x":[1,{"data":0}], "data" :${data} }`)).status).toBe(202)
    }
    const text = (await poll(port, r.room, r.hostToken)).body
    // Each data is in the answer verbatim; the answer is JSON.
    for (const data of datas) expect(text).toContain(`"data":${data}}`)
    const parsed = JSON.parse(text) as { messages: Array<{ data: unknown; from: string; type: string }> }
    expect(parsed.messages.map((m) => m.data)).toEqual(datas.map((d) => JSON.parse(d)))
    expect(parsed.messages.every((m) => m.from === 'join' && m.type === 'offer')).toBe(true)
  })

  it('finds the last top-level "data" member in any JSON object', () => {
    expect(rawMember('{"data":1}', 'data')).toBe('1')
    expect(rawMember(' {"a":{"data":2},"d\\u0061ta" : [ "]" , {"}":"\\""} ] , "b":3}', 'data')).toBe('[ "]" , {"}":"\\""} ]')
    expect(rawMember('{"data":1,"data":"two"}', 'data')).toBe('"two"')
    expect(rawMember('{"type":"x"}', 'data')).toBeUndefined()
    expect(rawMember('[1]', 'data')).toBeUndefined()
  })
})

describe('memory budgets', () => {
  it('caps rooms per address (429) and overall (503), with a JSON error', async () => {
    const port = await start({ maxRoomsPerAddress: 3, maxRooms: 5 })
    for (let i = 0; i < 3; i++) await open(port, '127.0.0.2')
    const mine = await call(port, 'POST', '/v1/rooms', { headers: json, localAddress: '127.0.0.2' })
    expect(mine.status).toBe(429)
    expect(errorOf(mine.body)).toMatch(/too many rooms from your address/)
    await open(port, '127.0.0.3')
    await open(port, '127.0.0.3')
    const full = await call(port, 'POST', '/v1/rooms', { headers: json, localAddress: '127.0.0.4' })
    expect(full.status).toBe(503)
    expect(errorOf(full.body)).toMatch(/server full: too many rooms/)
    expect(full.headers['retry-after']).toBeDefined()
  })

  it('counts stored text against the room budget (429) and the server budget (503), and frees it once read', async () => {
    const port = await start({ maxPendingBytes: 200_000, maxStoredBytes: 300_000 })
    const a = await open(port)
    const b = await open(port)
    const body = arrays(60_000)
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await post(port, a.room, a.hostToken, body)).status)
    expect(statuses).toEqual([202, 202, 202, 429])
    const roomFull = await post(port, a.room, a.hostToken, body)
    expect(errorOf(roomFull.body)).toMatch(/too many undelivered messages in this room/)
    expect((await post(port, b.room, b.hostToken, body)).status).toBe(202)
    const serverFull = await post(port, b.room, b.hostToken, body)
    expect(serverFull.status).toBe(503)
    expect(errorOf(serverFull.body)).toMatch(/server full: too many undelivered messages/)
    expect(server!.rooms.storedBytes).toBeLessThanOrEqual(300_000)
    // The joiner of room a reads everything: the bytes are given back and b can post again.
    const j = await join(port, a.room, a.secret)
    const first = JSON.parse((await poll(port, a.room, j.token!)).body) as { next: number; messages: unknown[] }
    expect(first.messages).toHaveLength(3)
    await poll(port, a.room, j.token!, first.next)
    expect((await post(port, b.room, b.hostToken, body)).status).toBe(202)
  })
})

describe('every POST is application/json', () => {
  it('refuses an empty room-opening POST without it (a plain form post from any web page)', async () => {
    const port = await start()
    for (const headers of [{} as Record<string, string>, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/plain' }, { 'content-type': 'multipart/form-data; boundary=x' }]) {
      const res = await call(port, 'POST', '/v1/rooms', { headers })
      expect(res.status, JSON.stringify(headers)).toBe(415)
      expect(errorOf(res.body)).toMatch(/application\/json/)
    }
    expect(server!.rooms.size).toBe(0)
    expect((await call(port, 'POST', '/v1/rooms', { headers: json })).status).toBe(201)
    expect((await call(port, 'POST', '/v1/rooms', { headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: '{}' })).status).toBe(201)
  })
})

describe('Host check', () => {
  it('answers only to the names it was given, with 421 and a JSON error otherwise', async () => {
    const port = await start({ allowedHosts: { names: ['127.0.0.1', 'signal.example.org', '::1'] } })
    const host = (h: string) => call(port, 'GET', '/v1/health', { headers: { host: h } })
    for (const ok of [`127.0.0.1:${port}`, 'signal.example.org', 'SIGNAL.example.org.:443', '[::1]:8080']) expect((await host(ok)).status, ok).toBe(200)
    for (const bad of ['evil.example', `evil.example:${port}`, '127.0.0.1.evil.example', 'signal.example.org@evil', '127.0.0.2']) {
      const res = await host(bad)
      expect(res.status, bad).toBe(421)
      expect(errorOf(res.body)).toMatch(/does not answer to Host/)
    }
    // No Host header at all (HTTP/1.0).
    expect((await raw(port, 'GET /v1/health HTTP/1.0\r\n\r\n')).status).toBe(421)
  })

  it('with a wildcard listen, answers to every address of this machine', async () => {
    const { advertisedHosts } = await import('../../../src/core/signaling/hosts')
    const port = await start({ allowedHosts: advertisedHosts('0.0.0.0', ['https://public.example/x/']) })
    const host = (h: string) => call(port, 'GET', '/v1/health', { headers: { host: h } })
    expect((await host(`127.0.0.1:${port}`)).status).toBe(200)
    expect((await host(`localhost:${port}`)).status).toBe(200)
    expect((await host('public.example')).status).toBe(200)
    expect((await host('rebind.example')).status).toBe(421)
  })
})

describe('a joiner that never comes back', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

  it('loses its place after a quiet spell without hello, and the host gets a peer-left message', async () => {
    const port = await start({ joinerIdleMs: 400 })
    const r = await open(port)
    const squatter = await join(port, r.room, r.secret)
    expect(squatter.status).toBe(201)
    expect((await join(port, r.room, r.secret)).status).toBe(409)
    await sleep(1000)
    const got = JSON.parse((await poll(port, r.room, r.hostToken)).body) as { messages: Array<{ from: string; type: string; data: { peer: string; reason: string } }> }
    expect(got.messages).toEqual([{ seq: 1, from: 'server', type: 'peer-left', data: { peer: 'join', reason: 'the joiner went quiet before saying hello' } }])
    // Its token no longer works; the real joiner gets in.
    expect((await poll(port, r.room, squatter.token!)).status).toBe(401)
    expect((await join(port, r.room, r.secret)).status).toBe(201)
  })

  it('keeps a joiner that said hello, or one whose long poll is waiting', async () => {
    const port = await start({ joinerIdleMs: 300 })
    const a = await open(port)
    const helloed = await join(port, a.room, a.secret)
    expect((await post(port, a.room, helloed.token!, '{"type":"hello","data":{"name":"x","version":"1","features":[]}}')).status).toBe(202)
    const b = await open(port)
    const waiting = await join(port, b.room, b.secret)
    const longPoll = call(port, 'GET', `/v1/rooms/${b.room}/messages?after=0&wait=2`, { headers: bearer(waiting.token!) })
    await sleep(1000)
    expect((await join(port, a.room, a.secret)).status).toBe(409)
    expect((await join(port, b.room, b.secret)).status).toBe(409)
    expect((await longPoll).status).toBe(200)
  })

  it('gives the place up on bye: the next joiner gets in', async () => {
    const port = await start()
    const r = await open(port)
    const first = await join(port, r.room, r.secret)
    await post(port, r.room, first.token!, '{"type":"hello","data":{}}')
    await post(port, r.room, first.token!, '{"type":"bye","data":{"reason":"done"}}')
    const second = await join(port, r.room, r.secret)
    expect(second.status).toBe(201)
    expect((await poll(port, r.room, first.token!)).status).toBe(401)
    const host = JSON.parse((await poll(port, r.room, r.hostToken)).body) as { messages: Array<{ type: string }> }
    expect(host.messages.map((m) => m.type)).toEqual(['hello', 'bye'])
  })
})
