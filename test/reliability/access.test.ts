// Access: no join without the room secret, no reading or writing without the peer's token, and no
// secret or token in a log line (the server's log callback, `peerlens signal` stderr) or a report.
// The server embedded in `peerlens host` listens only while hosting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from 'node:net'
import { SignalingServer } from '../../src/core/signaling/server'
import { call, raw } from './http'
import { startCli } from '../helpers/cli'
import { runHost } from '../../src/core/run/host'
import { tempDir } from '../helpers/tempDir'

const json = { 'content-type': 'application/json' }
const bearer = (t: string) => ({ ...json, authorization: `Bearer ${t}` })

/** Runs every kind of request a client (or an attacker holding some of the credentials) sends. */
async function everything(port: number): Promise<string[]> {
  const created = JSON.parse((await call(port, 'POST', '/v1/rooms', { headers: json })).body) as { room: string; secret: string; hostToken: string }
  const { room, secret, hostToken } = created
  const peers = `/v1/rooms/${room}/peers`
  const messages = `/v1/rooms/${room}/messages`
  // Without the secret, or with a near miss, nobody joins.
  expect((await call(port, 'POST', peers, { body: '{}', headers: json })).status).toBe(400)
  expect((await call(port, 'POST', peers, { body: JSON.stringify({ secret: secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A') }), headers: json })).status).toBe(403)
  expect((await call(port, 'POST', peers, { body: JSON.stringify({ secret: '' }), headers: json })).status).toBe(403)
  // Nor does the host's token stand in for the secret.
  expect((await call(port, 'POST', peers, { body: JSON.stringify({ secret: hostToken }), headers: json })).status).toBe(403)
  const joined = await call(port, 'POST', peers, { body: JSON.stringify({ secret, name: 'b' }), headers: json })
  expect(joined.status).toBe(201)
  const joinToken = (JSON.parse(joined.body) as { token: string }).token
  // A third peer with the right secret is refused too.
  expect((await call(port, 'POST', peers, { body: JSON.stringify({ secret }), headers: json })).status).toBe(409)
  // Without a token (or with another room's, or the secret as a token) nobody reads or writes.
  const other = JSON.parse((await call(port, 'POST', '/v1/rooms', { headers: json })).body) as { hostToken: string }
  const body = JSON.stringify({ type: 'offer', data: { sdp: 'x' } })
  for (const headers of [json, bearer(other.hostToken), bearer(secret), bearer(hostToken.toUpperCase()), { ...json, authorization: hostToken }]) {
    expect((await call(port, 'POST', messages, { body, headers })).status).toBe(401)
    expect((await call(port, 'GET', `${messages}?wait=0`, { headers })).status).toBe(401)
  }
  expect((await call(port, 'POST', messages, { body, headers: bearer(hostToken) })).status).toBe(202)
  expect((await call(port, 'GET', `${messages}?wait=0`, { headers: bearer(joinToken) })).status).toBe(200)
  // Credentials where they do not belong: in the path and the query, which a log could echo.
  await call(port, 'GET', `/v1/rooms/${room}/messages/${joinToken}`)
  await call(port, 'GET', `/${secret}`)
  await call(port, 'GET', `${messages}?token=${hostToken}&wait=0`)
  await raw(port, `GET /${joinToken} HTTP/9.9\r\n\r\n`)
  await raw(port, `${secret} / HTTP/1.1\r\n\r\n`)
  return [secret, hostToken, joinToken]
}

describe('access to rooms', () => {
  const lines: string[] = []
  let server: SignalingServer
  let port: number
  beforeAll(async () => {
    server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 }, log: (l) => lines.push(l) })
    port = (await server.listen(0)).port
  })
  afterAll(() => server.close())

  it('needs the secret to join and a token to read or write; the log callback never sees either', async () => {
    const credentials = await everything(port)
    expect(lines.length).toBeGreaterThan(20)
    const log = lines.join('\n')
    for (const c of credentials) expect(log).not.toContain(c)
  })

  it('`peerlens signal` prints no secret or token on stderr', async () => {
    const signal = startCli(['signal', '--listen', '127.0.0.1:0'])
    try {
      const url = await signal.waitFor(/^listening: /)
      const credentials = await everything(Number(/:(\d+)\/$/.exec(url)![1]))
      await new Promise((r) => setTimeout(r, 200))
      expect(signal.stderr()).toMatch(/POST \/v1\/rooms 201/)
      for (const c of credentials) expect(signal.stderr() + signal.stdout()).not.toContain(c)
    } finally {
      signal.child.kill('SIGTERM')
      await signal.exit
    }
  })
})

describe('the server embedded in peerlens host', () => {
  const dir = tempDir('access')

  function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.on('connect', () => (s.destroy(), resolve(true)))
      s.on('error', () => resolve(false))
    })
  }

  it('listens only while hosting, and neither output nor report holds the secret', async () => {
    const hostFile = join(dir, 'host.json')
    const joinFile = join(dir, 'join.json')
    const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30', '--no-nat', '--report', hostFile])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    const port = Number(new URL(invite).port)
    const secret = new URL(invite).hash.slice(1)
    expect(secret.length).toBeGreaterThanOrEqual(32)
    expect(await portOpen(port)).toBe(true)
    const joiner = startCli(['join', invite, '--offline', '--timeout', '30', '--no-nat', '--report', joinFile])
    const [hostCode, joinCode] = await Promise.all([host.exit, joiner.exit])
    expect([hostCode, joinCode], host.stderr() + joiner.stderr()).toEqual([0, 0])
    // After the session the port is closed: nothing listens for a second joiner.
    expect(await portOpen(port)).toBe(false)
    // The invite (with its secret) is printed for the user once, on stdout; nowhere else.
    const outputs = host.stderr() + joiner.stdout() + joiner.stderr()
    const reports = readFileSync(hostFile, 'utf8') + readFileSync(joinFile, 'utf8')
    expect(host.stdout().split(secret)).toHaveLength(2)
    expect(outputs).not.toContain(secret)
    expect(reports).not.toContain(secret)
    // Tokens are 32 random bytes (43 base64url characters): no such string in either report.
    expect(reports.match(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? []).toEqual([])
  })
})

describe('the server embedded in the desktop app (runHost, as its session controller calls it)', () => {
  function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.on('connect', () => (s.destroy(), resolve(true)))
      s.on('error', () => resolve(false))
    })
  }

  for (const end of ['cancelled', 'timed out'] as const) {
    it(`listens while hosting and closes when the session is ${end}`, async () => {
      const abort = new AbortController()
      let port = 0
      const run = runHost({
        mode: { kind: 'embedded', host: '127.0.0.1', port: 0 },
        ice: { stun: [], turn: [] },
        nat: false,
        offline: true,
        timeoutMs: end === 'timed out' ? 1500 : 30_000,
        signal: abort.signal,
        emit: (e) => {
          if (e.kind === 'invite') port = Number(new URL(e.url).port)
        }
      })
      const settled = run.then(() => 'resolved', () => 'rejected')
      const deadline = Date.now() + 10_000
      while (!port && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(await portOpen(port)).toBe(true)
      if (end === 'cancelled') abort.abort()
      await settled
      expect(await portOpen(port)).toBe(false)
    })
  }
})
