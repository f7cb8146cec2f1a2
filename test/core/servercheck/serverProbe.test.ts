import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { coturnMissing, startCoturn, type Coturn } from '../../helpers/coturn'
import { parseServerUrl, probeServers, probeStun, probeTurn } from '../../../src/core/servercheck/serverProbe'
import { explainTurnError } from '../../../src/core/servercheck/turnErrors'
import { StunResponder } from '../../../src/core/stun/responder'

const missing = coturnMissing()

describe('TURN error words', () => {
  it('tells the challenge from wrong credentials', () => {
    expect(explainTurnError(401, 'allocate', false)).toMatch(/wants credentials/)
    expect(explainTurnError(401, 'allocate', true)).toMatch(/wrong username or password/)
    expect(explainTurnError(441, 'refresh', true)).toMatch(/441 wrong credentials on Refresh/)
    expect(explainTurnError(441, 'permission', true)).toMatch(/CreatePermission/)
    for (const code of [403, 438, 442, 486, 508]) expect(explainTurnError(code, 'allocate', true)).toMatch(new RegExp(`^${code} `))
  })

  it('parses normalised URLs', () => {
    expect(parseServerUrl('turn:127.0.0.1:3478?transport=tcp')).toEqual({ kind: 'turn', host: '127.0.0.1', port: 3478, transport: 'tcp' })
    expect(parseServerUrl('turns:turn.example.org:5349')).toMatchObject({ transport: 'tls' })
    expect(parseServerUrl('stun:[::1]:3478')).toEqual({ kind: 'stun', host: '::1', port: 3478, transport: 'udp' })
  })
})

describe.skipIf(missing)(`server probes against a real coturn on loopback${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let turn: Coturn
  beforeAll(async () => {
    turn = await startCoturn()
  })
  afterAll(() => turn?.stop())

  it('allocates with good credentials and reports the relay address and lifetime', async () => {
    const p = await probeTurn(`turn:127.0.0.1:${turn.port}`, turn.user, turn.pass)
    expect(p.error, JSON.stringify(p)).toBeUndefined()
    expect(p.reachable).toBe(true)
    expect(p.relay?.address).toBe('127.0.0.1')
    expect(p.relay?.port).toBeGreaterThan(0)
    expect(p.mapped?.address).toBe('127.0.0.1')
    expect(p.lifetimeS).toBeGreaterThan(0)
    expect(p.rttMs).toBeGreaterThanOrEqual(0)
  })

  it('over TCP as well', async () => {
    const p = await probeTurn(`turn:127.0.0.1:${turn.port}?transport=tcp`, turn.user, turn.pass)
    expect(p.error, JSON.stringify(p)).toBeUndefined()
    expect(p.transport).toBe('tcp')
    expect(p.relay).not.toBeNull()
  })

  it('says wrong credentials after the normal 401 challenge', async () => {
    const p = await probeTurn(`turn:127.0.0.1:${turn.port}`, turn.user, 'not-the-password')
    expect(p.reachable).toBe(true)
    expect(p.error).toEqual({ code: 401, reason: expect.stringMatching(/after credentials: wrong username or password/) })
    expect(JSON.stringify(p)).not.toContain('not-the-password')
  })

  it('says credentials are missing when none were given', async () => {
    const p = await probeTurn(`turn:127.0.0.1:${turn.port}`, undefined, undefined)
    expect(p.error?.reason).toMatch(/wants credentials/)
  })

  it('answers a STUN binding on the TURN port with our mapped address', async () => {
    const p = await probeStun(`stun:127.0.0.1:${turn.port}`)
    expect(p).toMatchObject({ reachable: true, mapped: { address: '127.0.0.1' } })
  })
})

describe('probes of servers that do not answer', () => {
  let silent: Server
  let port: number
  const accepted = new Set<import('node:net').Socket>()
  beforeAll(async () => {
    // A TCP port that accepts and says nothing, and nothing on UDP at the same number.
    silent = createServer((s) => accepted.add(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    port = (silent.address() as { port: number }).port
  })
  afterAll(async () => {
    for (const s of accepted) s.destroy()
    await new Promise<void>((r) => silent.close(() => r()))
  })

  it('times out over UDP with the number of tries', async () => {
    const p = await probeStun(`stun:127.0.0.1:${port}`)
    expect(p.reachable).toBe(false)
    expect(p.error?.reason).toMatch(/no answer over UDP after 4 tries/)
  })

  it('reports a refused TCP connect', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const closedPort = (closed.address() as { port: number }).port
    await new Promise<void>((r) => closed.close(() => r()))
    const p = await probeTurn(`turn:127.0.0.1:${closedPort}?transport=tcp`, 'u', 'p')
    expect(p.error?.reason).toMatch(/ECONNREFUSED/)
  })

  it('reports a TLS failure when the server does not speak TLS', async () => {
    const p = await probeTurn(`turns:127.0.0.1:${port}`, 'u', 'p')
    expect(p.reachable).toBe(false)
    expect(p.error?.reason).toMatch(/TLS|timed out|closed/)
  })

  it('probes every configured server, our own STUN responder included', async () => {
    const responder = new StunResponder()
    const rport = await responder.listen(0, '127.0.0.1')
    try {
      const probes = await probeServers({ stun: [`stun:127.0.0.1:${rport}`, `stun:127.0.0.1:${port}`], turn: [] })
      expect(probes.map((p) => p.reachable)).toEqual([true, false])
    } finally {
      await responder.close()
    }
  })
})
