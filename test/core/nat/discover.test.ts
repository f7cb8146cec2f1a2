import { afterEach, describe, expect, it } from 'vitest'
import { createSocket, type Socket } from 'node:dgram'
import { createServer } from 'node:net'
import { Message, classes, methods, parseMessage } from 'werift'
import { discoverNat, NatInputError, withVia } from '../../../src/core/nat/discover'
import type { NatEndpoint, NatProgress, NatResult } from '../../../src/shared/nat'
import { startFakeServer, type FakeServer } from './fakeServer'

// Everything here talks to loopback only. 127.0.0.9 plays the NAT's public address: it is not one of
// this host's interface addresses (so the classifier sees a NAT), yet packets to it stay on loopback.
const PUBLIC = '127.0.0.9'
const eim = (from: NatEndpoint): NatEndpoint => ({ address: PUBLIC, port: from.port })
const apdm = (from: NatEndpoint, to: NatEndpoint): NatEndpoint => ({ address: PUBLIC, port: 10000 + ((from.port + to.port * 7 + Number(to.address.split('.')[3]) * 13) % 50000) })
const adm = (from: NatEndpoint, to: NatEndpoint): NatEndpoint => ({ address: PUBLIC, port: 10000 + ((from.port + Number(to.address.split('.')[3]) * 13) % 50000) })

const servers: FakeServer[] = []
const sockets: Socket[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  for (const s of sockets.splice(0)) s.close()
})
async function fake(options: Parameters<typeof startFakeServer>[0] = {}) {
  const s = await startFakeServer(options)
  servers.push(s)
  return s
}

/** A UDP port with nothing behind it (and, on loopback, TCP refused on it). */
async function deadPort(): Promise<number> {
  const s = createSocket('udp4')
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
  const port = s.address().port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

describe('discoverNat against a scripted RFC 5780 server on loopback', () => {
  it.each([
    ['no NAT, nothing filtered', {}, 'none', 'endpoint-independent', 'open-internet'],
    ['no NAT, stateful firewall', { drop: 'all-changed' }, 'none', 'address-and-port-dependent', 'symmetric-udp-firewall'],
    ['full cone', { mapped: eim }, 'endpoint-independent', 'endpoint-independent', 'full-cone'],
    ['restricted cone', { mapped: eim, drop: 'changed-ip' }, 'endpoint-independent', 'address-dependent', 'restricted-cone'],
    ['port-restricted cone', { mapped: eim, drop: 'all-changed' }, 'endpoint-independent', 'address-and-port-dependent', 'port-restricted-cone'],
    ['address-dependent mapping', { mapped: adm, drop: 'changed-ip' }, 'address-dependent', 'address-dependent', 'symmetric'],
    ['symmetric', { mapped: apdm, drop: 'all-changed' }, 'address-and-port-dependent', 'address-and-port-dependent', 'symmetric']
  ] as const)('%s', async (_name, options, mapping, filtering, classic) => {
    const server = await fake(options)
    const result = await discoverNat({ stun: server.url })
    expect({ mapping: result.mapping, filtering: result.filtering, classic: result.classic }).toEqual({ mapping, filtering, classic })
    expect(result.server).toEqual(server.primary)
    expect(result.otherAddress).toEqual(server.other)
    expect(result.serverReach).toBe('udp')
    expect(result.durationMs).toBeLessThan(1000)
    expect(result.tests.map((t) => t.name)).toEqual(expect.arrayContaining(['mapping-1', 'mapping-2', 'mapping-3', 'filtering-1', 'filtering-2', 'filtering-3', 'hairpin']))
  })

  it('fills in the endpoints, port preservation and hairpin', async () => {
    const server = await fake({ mapped: eim })
    const r = await discoverNat({ stun: server.url })
    expect(r.local?.address).toBe('127.0.0.1')
    expect(r.mapped).toEqual({ address: PUBLIC, port: r.local?.port })
    expect(r.portPreserved).toBe(true)
    // 127.0.0.9:port reaches our socket bound to 0.0.0.0:port: a "NAT" that hairpins.
    expect(r.hairpin).toBe(true)
    expect(r.method).toBe('rfc5780')
    expect(r.rttMs).toBeGreaterThanOrEqual(0)
    const t1 = r.tests.find((t) => t.name === 'mapping-1')!
    expect(t1).toMatchObject({ result: 'reply', target: server.primary, from: server.primary, attempts: 1 })
    const f2 = r.tests.find((t) => t.name === 'filtering-2')!
    expect(f2).toMatchObject({ change: { ip: true, port: true }, from: server.other })
  })

  it('talks to the alternate address only after filtering is decided (filter state may be per host)', async () => {
    const server = await fake({ mapped: eim, drop: 'all-changed' })
    await discoverNat({ stun: server.url })
    const lastChange = server.requests.map((r) => !!r.change).lastIndexOf(true)
    const firstAlt = server.requests.findIndex((r) => r.to.address === server.other.address)
    expect(lastChange).toBeGreaterThan(0)
    expect(firstAlt).toBeGreaterThan(lastChange)
    // ...and the filtering socket never sent anywhere but the primary address.
    const filteringPorts = new Set(server.requests.filter((r) => r.change).map((r) => r.from.port))
    expect(server.requests.filter((r) => filteringPorts.has(r.from.port)).every((r) => r.to.address === server.primary.address && r.to.port === server.primary.port)).toBe(true)
  })

  it('a reply delayed by a loaded machine still counts (it is not "filtered")', async () => {
    const server = await fake({ mapped: eim, changedDelayMs: 120 })
    const r = await discoverNat({ stun: server.url })
    expect(r.filtering).toBe('endpoint-independent')
  })

  it('a reply later than the quiet window counts as filtered (the window is the trade-off)', async () => {
    const server = await fake({ mapped: eim, changedDelayMs: 200 })
    const r = await discoverNat({ stun: server.url, timing: { quietFloorMs: 60 } })
    expect(r.filtering).toBe('address-and-port-dependent')
  })

  it('retransmits lost requests instead of concluding from a loss', async () => {
    const server = await fake({ mapped: eim, dropFirst: 2 })
    const r = await discoverNat({ stun: server.url })
    expect(r.classic).toBe('full-cone')
    expect(r.tests.some((t) => t.attempts > 1)).toBe(true)
  })

  it('a change-port test whose whole first window was lost is sent again before it reads as "filtered"', async () => {
    // The first request lost (the path loses packets), then every change-port request of the first window (250 ms).
    const server = await fake({ mapped: eim, drop: 'changed-ip', dropFirst: 1, dropChangePortForMs: 300 })
    const r = await discoverNat({ stun: server.url })
    expect(r.classic, r.reason).toBe('restricted-cone')
    const f3 = r.tests.find((t) => t.name === 'filtering-3')!
    expect(f3).toMatchObject({ result: 'reply', detail: expect.stringMatching(/sent again after \d unanswered requests \(the path lost packets\)/) })
    // Several requests in the first window, not RFC 5389's doubling (which sends 3 in 250 ms).
    expect(f3.attempts).toBeGreaterThan(4)
  })

  it('without loss elsewhere, a silent change-port test is not sent again (filtered NATs stay fast)', async () => {
    const server = await fake({ mapped: eim, drop: 'all-changed' })
    const r = await discoverNat({ stun: server.url })
    expect(r.classic).toBe('port-restricted-cone')
    const f3 = r.tests.find((t) => t.name === 'filtering-3')!
    expect(f3.result).toBe('timeout')
    expect(f3.attempts).toBeGreaterThan(3)
    expect(f3.attempts).toBeLessThanOrEqual(7)
    expect(r.tests.some((t) => /sent again/.test(t.detail ?? ''))).toBe(false)
  })

  it('shrugs off hostile packets and spoofed replies', async () => {
    const server = await fake({ mapped: eim, drop: 'changed-ip', junk: true, spoofFrom: true })
    const r = await discoverNat({ stun: server.url })
    expect(r.classic).toBe('restricted-cone')
    expect(r.ignored.length).toBeGreaterThan(0)
    expect(r.ignored.map((i) => i.reason).join('\n')).toMatch(/unexpected source/)
  })

  it('a server ignoring CHANGE-REQUEST gives filtering unknown, never full cone', async () => {
    const server = await fake({ mapped: eim, ignoreChange: true })
    const r = await discoverNat({ stun: server.url })
    expect(r).toMatchObject({ mapping: 'endpoint-independent', filtering: 'unknown', classic: 'unknown' })
    expect(r.reason).toMatch(/ignored CHANGE-REQUEST/)
  })

  it('a server refusing CHANGE-REQUEST (420)', async () => {
    const server = await fake({ mapped: eim, errorOnChange: 420 })
    const r = await discoverNat({ stun: server.url })
    expect(r.filtering).toBe('unknown')
    expect(r.reason).toMatch(/420/)
  })

  it('without RFC 5780, compares the mappings of two servers', async () => {
    const one = await fake({ otherAddress: 'none', mapped: apdm })
    const two = await fake({ otherAddress: 'none', mapped: apdm })
    // Both fake servers listen on 127.0.0.1: another port on the same IP changed the mapping.
    const r = await discoverNat({ stun: one.url, stun2: two.url })
    expect(r).toMatchObject({ method: 'two-servers', mapping: 'address-and-port-dependent', filtering: 'unknown', classic: 'symmetric' })
    // Toward another IP: the fallback cannot tell address- from address-and-port-dependent.
    const other = await discoverNat({ stun: one.url, stun2: `127.0.0.2:${two.primary.port}` })
    expect(other).toMatchObject({ method: 'two-servers', mapping: 'address-dependent', classic: 'symmetric' })
    const three = await fake({ otherAddress: 'none', mapped: eim })
    const same = await discoverNat({ stun: three.url, stun2: `127.0.0.2:${three.primary.port}`, hairpin: false })
    expect(same).toMatchObject({ method: 'two-servers', mapping: 'endpoint-independent', classic: 'unknown' })
    expect(same.tests.find((t) => t.name === 'hairpin')).toBeUndefined()
  })

  it('without RFC 5780 and without a second server: unknown, and says what would help', async () => {
    const server = await fake({ otherAddress: 'same-ip', mapped: eim })
    const r = await discoverNat({ stun: server.url })
    expect(r).toMatchObject({ mapping: 'unknown', filtering: 'unknown', classic: 'unknown', method: 'none' })
    expect(r.reason).toMatch(/--stun2/)
    expect(r.tests.find((t) => t.name === 'filtering-2')).toBeUndefined()
  })

  it('a server that is down: TCP refused, bounded wait', async () => {
    const port = await deadPort()
    const started = performance.now()
    const r = await discoverNat({ stun: `127.0.0.1:${port}`, timeoutMs: 600 })
    expect(performance.now() - started).toBeLessThan(2500)
    expect(r).toMatchObject({ mapping: 'unknown', classic: 'unknown', serverReach: 'tcp-refused', mapped: null, hairpin: null, portPreserved: null })
    expect(r.reason).toMatch(/probably down/)
    expect(r.tests.find((t) => t.name === 'tcp-connect')?.result).toBe('error')
  })

  it('UDP silent and the STUN port shut, but a TURN server\'s TCP port connects: UDP blocked (only TCP gets out)', async () => {
    const port = await deadPort()
    const turn = createServer((c) => c.destroy())
    await new Promise<void>((r) => turn.listen(0, '127.0.0.1', () => r()))
    try {
      const turnPort = (turn.address() as { port: number }).port
      const r = await discoverNat({ stun: `127.0.0.1:${port}`, timeoutMs: 600, tcpAlso: [{ address: '127.0.0.1', port: turnPort }] })
      expect(r).toMatchObject({ classic: 'udp-blocked', serverReach: 'tcp-only' })
      expect(r.reason).toBe(`UDP blocked: no STUN request to 127.0.0.1:${port} over UDP got an answer, while TCP gets out (to 127.0.0.1:${turnPort}, a TURN server's TCP or TLS port)`)
      expect(r.tests.find((t) => t.name === 'tcp-connect')).toMatchObject({ result: 'reply', target: { address: '127.0.0.1', port: turnPort } })
    } finally {
      turn.close()
    }
  })

  it('with a list, asks all at once and uses the first RFC 5780 answer', async () => {
    const plain = await fake({ otherAddress: 'none' })
    const good = await fake({ mapped: eim })
    const progress: NatProgress[] = []
    const r = await discoverNat({ stun: [`127.0.0.1:${await deadPort()}`, plain.url, good.url], onProgress: (p) => progress.push(p) })
    expect(r.server).toEqual(good.primary)
    expect(r.classic).toBe('full-cone')
    expect(progress.find((p) => p.kind === 'server')).toMatchObject({ server: good.primary })
  })

  it('reports progress for every test', async () => {
    const server = await fake()
    const progress: NatProgress[] = []
    const r = await discoverNat({ stun: server.url, onProgress: (p) => progress.push(p) })
    const done = progress.filter((p) => p.kind === 'test-done').length
    expect(done).toBe(r.tests.length)
    expect(progress.filter((p) => p.kind === 'test-start').length).toBe(done)
  })

  it('refuses bad input before sending anything', async () => {
    await expect(discoverNat({ stun: 'turn:127.0.0.1:3478' })).rejects.toThrow(NatInputError)
    await expect(discoverNat({ stun: '127.0.0.1:3478', family: 6 })).rejects.toThrow(/IPv4 address but the test is for IPv6/)
    await expect(discoverNat({ stun: [] })).rejects.toThrow(NatInputError)
    await expect(discoverNat({ stun: '127.0.0.1:3478', timeoutMs: -1 })).rejects.toThrow(NatInputError)
  })
})

describe('discoverNat over IPv6 (loopback)', () => {
  it('runs on udp6 and says the server lacks RFC 5780', async () => {
    const s = createSocket('udp6')
    sockets.push(s)
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false))
      s.bind(0, '::1', () => resolve(true))
    })
    if (!ok) return // no IPv6 loopback in this sandbox; the lab covers IPv6
    s.on('message', (data, rinfo) => {
      const req = parseMessage(data)
      if (!req) return
      const res = new Message(methods.BINDING, classes.RESPONSE, req.transactionId)
      res.setAttribute('XOR-MAPPED-ADDRESS', [rinfo.address, rinfo.port])
      s.send(res.bytes, rinfo.port, rinfo.address)
    })
    const r = await discoverNat({ stun: `[::1]:${s.address().port}`, family: 6 })
    expect(r.family).toBe(6)
    expect(r.mapping).toBe('none')
    expect(r.mapped?.address).toBe('::1')
    expect(r.filtering).toBe('unknown')
    expect(r.reason).toMatch(/RFC 5780/)
  })
})

describe('which interface the STUN server was reached through', () => {
  const base: NatResult = { family: 4, mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone', method: 'rfc5780', reason: 'both tests agree', local: null, mapped: null, server: null, otherAddress: null, portPreserved: null, hairpin: null, serverReach: 'udp', durationMs: 1, rttMs: null, tests: [], ignored: [] }

  it('a VPN-like interface (an exit node) is named, and the reason says the result describes the tunnel exit', () => {
    const nat = withVia({ ...base }, { name: 'wt0', vpnLike: true })
    expect(nat.via).toEqual({ interface: 'wt0', vpnLike: true })
    expect(nat.reason).toBe("both tests agree (the STUN server was reached through the VPN interface wt0: this describes the tunnel's exit, not this side's own NAT)")
  })

  it('an ordinary interface is named, the reason unchanged', () => {
    const nat = withVia({ ...base }, { name: 'eth0', vpnLike: false })
    expect(nat).toMatchObject({ via: { interface: 'eth0', vpnLike: false }, reason: 'both tests agree' })
  })

  it('a real discovery over loopback names lo', { timeout: 15_000 }, async () => {
    const server = await startFakeServer()
    try {
      const nat = await discoverNat({ stun: `stun:127.0.0.1:${server.primary.port}`, timeoutMs: 500, hairpin: false })
      expect(nat.via).toEqual({ interface: 'lo', vpnLike: false })
    } finally {
      await server.close()
    }
  })
})
