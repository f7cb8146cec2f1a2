// Hostile input against every HTTP endpoint of the signaling server: a hand-written corpus (each
// case with the answer it must get) and random requests from fast-check. Every answer is a status
// of the protocol's error contract with a JSON {"error"}, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { SignalingServer } from '../../src/core/signaling/server'
import { createRoom, joinRoom } from '../../src/core/signaling/client'
import { exchange } from '../../bench/soak/exchange'
import { errorOf, raw } from './http'

/** Statuses the contract allows (docs/signaling.md), plus 408 for a request that never finishes. */
const CONTRACT = new Set([200, 201, 202, 400, 401, 403, 404, 405, 408, 409, 413, 415, 429, 431, 503])

interface Case {
  name: string
  bytes: string | Buffer
  expect: number[]
}

/** A request with Connection: close, so the server ends the socket once it has answered. */
function req(method: string, path: string, headers: Record<string, string> = {}, body: string | Buffer = ''): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body)
  if (data.length && !Object.keys(headers).some((k) => /content-length|transfer-encoding/i.test(k))) lines.push(`Content-Length: ${data.length}`)
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), data])
}

const json = { 'Content-Type': 'application/json' }

function corpus(room: string, token: string, otherToken: string): Case[] {
  const peers = `/v1/rooms/${room}/peers`
  const messages = `/v1/rooms/${room}/messages`
  const auth = { ...json, Authorization: `Bearer ${token}` }
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  return [
    // Malformed and hostile JSON
    { name: 'truncated JSON', bytes: req('POST', peers, json, '{"secret":'), expect: [400] },
    { name: 'not JSON at all', bytes: req('POST', messages, auth, 'type=offer&data=1'), expect: [400] },
    { name: 'bad UTF-8', bytes: req('POST', peers, json, Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), expect: [400] },
    { name: 'overlong UTF-8 slash', bytes: req('POST', peers, json, Buffer.from([0x22, 0xc0, 0xaf, 0x22])), expect: [400] },
    { name: 'lone surrogate escape', bytes: req('POST', messages, auth, '{"type":"x","data":"\\ud800"}'), expect: [202] },
    { name: 'JSON 33 deep', bytes: req('POST', messages, auth, `{"type":"x","data":${deep(33)}}`), expect: [400] },
    { name: 'JSON 30000 deep', bytes: req('POST', messages, auth, deep(30_000)), expect: [400] },
    { name: 'JSON 100000 deep (over the size limit)', bytes: req('POST', messages, auth, deep(100_000)), expect: [413] },
    { name: 'body of 1 MiB', bytes: req('POST', messages, auth, 'x'.repeat(1 << 20)), expect: [413] },
    { name: 'chunked body of 1 MiB', bytes: req('POST', messages, { ...auth, 'Transfer-Encoding': 'chunked' }, `100000\r\n${'x'.repeat(1 << 20)}\r\n0\r\n\r\n`), expect: [413] },
    { name: 'declared 1 GiB', bytes: req('POST', messages, { ...auth, 'Content-Length': String(2 ** 30) }), expect: [413] },
    { name: 'body shorter than declared', bytes: req('POST', messages, { ...auth, 'Content-Length': '100' }, '{"type":'), expect: [408] },
    { name: '__proto__ instead of secret', bytes: req('POST', peers, json, '{"__proto__":{"secret":"x"}}'), expect: [400] },
    { name: 'constructor instead of secret', bytes: req('POST', peers, json, '{"constructor":{"prototype":{"secret":"x"}}}'), expect: [400] },
    { name: 'secret of the wrong type', bytes: req('POST', peers, json, '{"secret":["a"]}'), expect: [400] },
    { name: 'wrong secret', bytes: req('POST', peers, json, '{"secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'), expect: [403] },
    { name: 'name too long', bytes: req('POST', peers, json, JSON.stringify({ secret: 'x', name: 'n'.repeat(200) })), expect: [400] },
    { name: 'type with capitals', bytes: req('POST', messages, auth, '{"type":"Offer","data":1}'), expect: [400] },
    { name: 'type too long', bytes: req('POST', messages, auth, JSON.stringify({ type: 'a'.repeat(40), data: 1 })), expect: [400] },
    { name: 'no data', bytes: req('POST', messages, auth, '{"type":"offer"}'), expect: [400] },
    { name: 'array body', bytes: req('POST', messages, auth, '[]'), expect: [400] },
    // Content types
    { name: 'text/plain', bytes: req('POST', messages, { 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` }, '{"type":"x","data":1}'), expect: [415] },
    { name: 'no content type', bytes: req('POST', peers, {}, '{"secret":"x"}'), expect: [415] },
    { name: 'application/jsonx', bytes: req('POST', peers, { 'Content-Type': 'application/jsonx' }, '{"secret":"x"}'), expect: [415] },
    { name: 'multipart', bytes: req('POST', '/v1/rooms', { 'Content-Type': 'multipart/form-data; boundary=x' }, '--x--'), expect: [415] },
    // Query strings
    { name: 'after negative', bytes: req('GET', `${messages}?after=-1&wait=0`, auth), expect: [400] },
    { name: 'after as a float', bytes: req('GET', `${messages}?after=1.5&wait=0`, auth), expect: [400] },
    { name: 'after 1e99', bytes: req('GET', `${messages}?after=1e99&wait=0`, auth), expect: [400] },
    { name: 'after with 16 digits', bytes: req('GET', `${messages}?after=9999999999999999&wait=0`, auth), expect: [400] },
    { name: 'wait 31', bytes: req('GET', `${messages}?after=0&wait=31`, auth), expect: [400] },
    { name: 'wait twice', bytes: req('GET', `${messages}?after=0&wait=0&wait=99`, auth), expect: [200] },
    // Tokens
    { name: 'no token', bytes: req('GET', `${messages}?wait=0`), expect: [401] },
    { name: 'Basic auth', bytes: req('GET', `${messages}?wait=0`, { Authorization: 'Basic YTpi' }), expect: [401] },
    { name: 'token of 8000 bytes', bytes: req('GET', `${messages}?wait=0`, { Authorization: `Bearer ${'a'.repeat(8000)}` }), expect: [401] },
    { name: "another room's token", bytes: req('GET', `${messages}?wait=0`, { Authorization: `Bearer ${otherToken}` }), expect: [401] },
    { name: 'token in the query', bytes: req('GET', `${messages}?wait=0&token=${token}`), expect: [401] },
    // Paths
    { name: 'dot segments to nowhere', bytes: req('GET', '/v1/rooms/%2e%2e/%2e%2e/etc/passwd'), expect: [404] },
    { name: 'encoded slashes in an asset', bytes: req('GET', '/join-assets/..%2f..%2fpackage.json'), expect: [404] },
    { name: '__proto__ asset', bytes: req('GET', '/join-assets/__proto__'), expect: [404] },
    { name: 'constructor asset', bytes: req('GET', '/join-assets/constructor'), expect: [404] },
    { name: 'markup as a room id', bytes: req('GET', '/join/%3Cscript%3E'), expect: [404] },
    { name: 'NUL in a room id', bytes: req('POST', '/v1/rooms/abc%00/peers', json, '{"secret":"x"}'), expect: [404] },
    { name: 'unknown room', bytes: req('POST', '/v1/rooms/AAAAAAAAAAAA/peers', json, '{"secret":"x"}'), expect: [404] },
    { name: 'doubled slashes', bytes: req('GET', '//v1//health'), expect: [404] },
    { name: 'absolute URL as the target', bytes: req('GET', 'http://evil.example/v1/health'), expect: [200, 404] },
    { name: 'path of 10000 characters', bytes: req('GET', '/' + 'a'.repeat(10_000)), expect: [404] },
    { name: 'path of 20000 characters', bytes: req('GET', '/' + 'a'.repeat(20_000)), expect: [431] },
    { name: 'unknown path', bytes: req('GET', '/admin'), expect: [404] },
    // Methods and framing
    { name: 'DELETE a room list', bytes: req('DELETE', '/v1/rooms'), expect: [405] },
    { name: 'PUT messages', bytes: req('PUT', messages, auth, '{}'), expect: [405] },
    { name: 'unknown method', bytes: req('FROB', '/v1/health'), expect: [400] },
    { name: 'not HTTP', bytes: 'hello there\r\n\r\n', expect: [400] },
    { name: 'binary garbage', bytes: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)), expect: [400] },
    { name: 'bad Content-Length', bytes: 'POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', expect: [400] },
    { name: 'two Content-Lengths', bytes: 'POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', expect: [400] },
    { name: 'bad chunk size', bytes: req('POST', '/v1/rooms', { ...json, 'Transfer-Encoding': 'chunked' }, 'zz\r\n{}\r\n0\r\n\r\n'), expect: [400] },
    // Node keeps the first 100 headers (maxHeadersCount) and refuses past 16 KiB of them.
    { name: 'header flood (2000 short headers)', bytes: req('GET', '/v1/health', Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X${i}`, 'v']))), expect: [200, 431] },
    { name: 'header flood (2000 headers, 40 KiB)', bytes: req('GET', '/v1/health', Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-Header-${i}`, 'value-value']))), expect: [431] },
    { name: 'one header of 20000 bytes', bytes: req('GET', '/v1/health', { 'X-Big': 'v'.repeat(20_000) }), expect: [431] },
    { name: '99 headers (within limits)', bytes: req('GET', '/v1/health', Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`X-H${i}`, 'v']))), expect: [200] },
    { name: 'header with a NUL', bytes: 'GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n', expect: [400] }
  ]
}

describe('hostile HTTP input', () => {
  let server: SignalingServer
  let port: number
  const counts = { cases: 0, random: 0 }
  beforeAll(async () => {
    server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, requestTimeoutMs: 1500, headersTimeoutMs: 1500 })
    port = (await server.listen(0)).port
  })
  afterAll(async () => {
    await server.close()
    console.log(`hostile HTTP: ${counts.cases} corpus cases and ${counts.random} random requests, all answered by the contract`)
  })

  async function stillServing(): Promise<void> {
    const r = await exchange(`http://127.0.0.1:${port}/`, { candidates: 2, waitSeconds: 1, timeoutMs: 10_000 })
    expect(r.problems).toEqual([])
  }

  it('answers every corpus case with its status and a JSON error, and keeps serving', async () => {
    const base = `http://127.0.0.1:${port}/`
    const room = await createRoom(base)
    const other = await createRoom(base)
    await joinRoom(base, room.room, room.secret)
    const cases = corpus(room.room, room.hostToken, other.hostToken)
    const wrong: string[] = []
    // A few at a time: the corpus is about answers, not load.
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async (c) => {
          const answer = await raw(port, c.bytes, 5000)
          const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)
          const okStatus = c.expect.includes(answer.status)
          const okBody = answer.status < 400 || errorOf(body) !== undefined
          if (!okStatus || !okBody) wrong.push(`${c.name}: got ${answer.status} ${body.slice(0, 120)}`)
        })
      )
    }
    counts.cases = cases.length
    expect(wrong).toEqual([])
    await stillServing()
  })

  it('answers random requests within the contract (fast-check)', async () => {
    const base = `http://127.0.0.1:${port}/`
    const room = await createRoom(base)
    const segment = fc.oneof(
      fc.constantFrom('v1', 'rooms', 'peers', 'messages', 'health', 'join', 'join-assets', 'join.js', room.room, '..', '%2e', '%00', '__proto__', 'constructor', ''),
      fc.string({ maxLength: 20 }).map(encodeURIComponent)
    )
    const path = fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/'))
    const query = fc.option(fc.constantFrom('?after=0&wait=0', '?after=-1', '?wait=abc', '?after=0&wait=0&wait=1', '?%zz', '?after=' + '9'.repeat(30)), { nil: '' })
    const body = fc.oneof(
      fc.json({ depthSize: 'small' }),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.constantFrom('{"secret":"' + room.secret + '"}', '{"type":"offer","data":null}', '{"__proto__":{"type":"x"}}')
    )
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'),
      path,
      query,
      contentType: fc.constantFrom('application/json', 'APPLICATION/JSON; charset=latin1', 'text/plain', '', 'application/x-www-form-urlencoded'),
      auth: fc.constantFrom('', `Bearer ${room.hostToken}`, 'Bearer x', 'Bearer', `bearer  ${room.hostToken}`),
      body
    })
    const wrong: string[] = []
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        counts.random++
        const headers: Record<string, string> = {}
        if (r.contentType) headers['Content-Type'] = r.contentType
        if (r.auth) headers.Authorization = r.auth
        const answer = await raw(port, req(r.method, r.path + r.query, headers, r.body), 5000)
        const text = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)
        if (!CONTRACT.has(answer.status) || (answer.status >= 400 && r.method !== 'HEAD' && errorOf(text) === undefined)) {
          wrong.push(`${r.method} ${r.path}${r.query}: ${answer.status} ${text.slice(0, 80)}`)
        }
        return true
      }),
      { numRuns: 300, seed: 8 }
    )
    expect(wrong).toEqual([])
    await stillServing()
  })
})
