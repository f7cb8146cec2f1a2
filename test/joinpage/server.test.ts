// The signaling server's side of the join page: headers, assets, and the page speaking v1 over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignalingServer } from '../../src/core/signaling/server'
import { SignalApi, SignalCallError, joinFailure, readInvite, signalingLost } from '../../src/joinpage/api'
import { builtJoinPage } from '../helpers/joinPage'

let server: SignalingServer
let base: string

beforeAll(async () => {
  server = new SignalingServer({ joinPage: await builtJoinPage() })
  const address = await server.listen(0, '127.0.0.1')
  base = `http://127.0.0.1:${address.port}/`
})
afterAll(() => server.close())

describe('GET /join/ROOM and its assets', () => {
  it('serves the page with a strict CSP: no inline script or style, nothing from elsewhere', async () => {
    const room = server.rooms.create()
    const res = await fetch(`${base}join/${room.room}`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).toMatch(/script-src 'self'/)
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const html = await res.text()
    expect(html).toContain(room.room)
    expect(html).not.toContain(room.secret)
    expect(html).not.toMatch(/<script>|style=/)
    expect(html).toContain('src="../join-assets/join.js"')
  })

  it('serves the script and the stylesheet the entry point handed in', async () => {
    const js = await fetch(`${base}join-assets/join.js`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(js.headers.get('x-content-type-options')).toBe('nosniff')
    const code = await js.text()
    expect(code).toContain('RTCPeerConnection')
    expect(code).not.toMatch(/^import /m)
    const css = await fetch(`${base}join-assets/join.css`)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    expect(await css.text()).toContain('.verdict')
    for (const path of ['join-assets/other.js', 'join-assets/..%2Fpackage.json', 'join-assets/join.ts']) {
      expect((await fetch(base + path)).status, path).toBe(404)
    }
    expect((await fetch(`${base}join-assets/join.js`, { method: 'POST' })).status).toBe(405)
  })
})

describe('the page as a v1 client', () => {
  it('joins with the secret, says hello, and reads the host messages', async () => {
    const room = server.rooms.create()
    const api = new SignalApi(base, room.room)
    expect((await api.join(room.secret, 'browser')).peerId).toBe('join')
    await api.post('hello', { name: 'browser', version: '0.1.0', features: [] })
    const host = server.rooms.authenticate(room.room, room.hostToken)
    const got = await server.rooms.poll(host, 0, 0)
    expect(got.messages.map((m) => m.type)).toEqual(['hello'])
    server.rooms.post(host, 'offer', { type: 'offer', sdp: 'v=0' }, 30)
    const polled = await api.poll(0, 0)
    expect(polled.messages).toMatchObject([{ type: 'offer', data: { sdp: 'v=0' } }])
    expect(polled.next).toBeGreaterThan(0)
  })

  it('turns refusals into plain words', async () => {
    const room = server.rooms.create()
    const wrong = await new SignalApi(base, room.room).join('nope', 'b').catch((e: unknown) => e)
    expect(wrong).toBeInstanceOf(SignalCallError)
    expect(joinFailure(wrong)).toMatch(/^Wrong secret/)
    const unknown = await new SignalApi(base, 'nosuchroom').join('x', 'b').catch((e: unknown) => e)
    expect(joinFailure(unknown)).toMatch(/does not exist/)
    await new SignalApi(base, room.room).join(room.secret, 'b')
    const full = await new SignalApi(base, room.room).join(room.secret, 'b').catch((e: unknown) => e)
    expect(joinFailure(full)).toMatch(/already joined/)
    const down = await new SignalApi('http://127.0.0.1:9/', room.room).join(room.secret, 'b').catch((e: unknown) => e)
    expect(joinFailure(down)).toMatch(/Cannot reach/)
    expect(signalingLost(new SignalCallError(404, 'unknown room'))).toMatch(/host left/)
  })

  it('reads the invite from the path and the fragment, behind a proxy prefix too', () => {
    expect(readInvite('/join/abc_DEF-1', '#s3cr3t', 'http://192.0.2.1:8080')).toEqual({ base: 'http://192.0.2.1:8080/', room: 'abc_DEF-1', secret: 's3cr3t' })
    expect(readInvite('/peerlens/join/r1', '#x%2By', 'https://signal.example.com')).toEqual({ base: 'https://signal.example.com/peerlens/', room: 'r1', secret: 'x+y' })
    expect(readInvite('/join/r1', '', 'http://h')?.secret).toBe('')
    expect(readInvite('/nope/r1', '#x', 'http://h')).toBeUndefined()
    expect(readInvite('/join/<b>', '#x', 'http://h')).toBeUndefined()
  })
})
