import { describe, expect, it } from 'vitest'
import { findings, remedies } from '../../../src/shared/diagnosis/findings'
import { mtuRemedy, portRemedy, rankRemedies, remedyText, shareSubnet, type RemedyId } from '../../../src/shared/diagnosis/remedies'
import type { NatResult } from '../../../src/shared/nat'
import type { Report, SideReport } from '../../../src/shared/report'
import { fixtureReport } from '../../core/report/fixture'

type Nat = NonNullable<SideReport['nat']>
const NATS: Record<string, Partial<NatResult>> = {
  symmetric: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', classic: 'symmetric', reason: 'symmetric: the mapping changes with every destination address and port' },
  blocked: { mapping: 'unknown', filtering: 'unknown', classic: 'udp-blocked', reason: 'UDP blocked: 81.2.69.161:3478 accepts TCP on the same port but no STUN request over UDP got an answer', mapped: null, serverReach: 'tcp-only' },
  cone: { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', classic: 'port-restricted-cone', reason: 'port restricted cone' }
}

/** The fixture (relayed, the joiner's route into wt0, path MTU 1280, a port test) with chosen NATs and verdict. */
function report(o: { host?: Partial<NatResult>; join?: Partial<NatResult>; verdict?: Report['connection']['verdict']; clean?: boolean } = {}): Report {
  const r = fixtureReport()
  const [h, j] = r.sides as [SideReport, SideReport]
  if (o.host) h.nat = { ...(h.nat as Nat), ...o.host }
  if (o.join) j.nat = { ...(j.nat as Nat), ...o.join }
  if (o.verdict) r.connection.verdict = o.verdict
  if (o.clean) {
    // Nothing but the NATs: no VPN routes or candidates, full MTU, no port tests.
    for (const s of [h, j]) {
      s.system = s.system && { ...s.system, routes: [], interfaces: s.system.interfaces.map((i) => ({ ...i, vpnLike: false })) }
      s.candidates.local = s.candidates.local.map((c) => ({ ...c, vpnLike: false, interface: c.interface && 'eth0' }))
      delete s.pathMtu
    }
    delete r.portTests
  }
  return r
}

const ids = (r: Report): RemedyId[] => remedies(r).map((x) => x.id)

describe('what to do next', () => {
  it.each<[string, Parameters<typeof report>[0], RemedyId[]]>([
    ['two cones, relayed for other reasons: nothing about NATs', { host: NATS.cone, join: NATS.cone, clean: true }, []],
    ['a symmetric NAT on a relayed path', { host: NATS.symmetric, join: NATS.cone, clean: true }, ['symmetric-nat']],
    ['a symmetric NAT on a direct path: nothing to change', { host: NATS.symmetric, join: NATS.cone, verdict: 'direct', clean: true }, []],
    ['UDP blocked ranks above the symmetric NAT', { host: NATS.symmetric, join: NATS.blocked, clean: true }, ['udp-blocked', 'symmetric-nat']],
    ['UDP blocked even when the relay worked', { host: NATS.cone, join: NATS.blocked, verdict: 'relayed', clean: true }, ['udp-blocked']]
  ])('%s', (_name, o, expected) => {
    expect(ids(report(o))).toEqual(expected)
  })

  it('the seed story: the route into the tunnel first, then the MTU to set, each with its evidence', () => {
    const list = remedies(report({ host: NATS.cone, join: NATS.cone }))
    expect(list.map((r) => r.rank)).toEqual(list.map((_, i) => i + 1))
    const vpn = list.find((r) => r.id === 'vpn-interface')!
    expect(vpn.level).toBe('bad')
    expect(vpn.action).toMatch(/--exclude-interface wt0/)
    expect(vpn.evidence).toMatch(/route toward .* names wt0/)
    expect(list[0]!.id).toBe('vpn-interface')
    const mtu = list.find((r) => r.id === 'path-mtu')!
    expect(mtu.action).toMatch(/MTU = 1200/)
    expect(mtu.evidence).toMatch(/is 1280 bytes/)
    expect(remedyText(mtu)).toMatch(/^\d+\. set the tunnel's MTU to 1200 .*\(evidence: the path MTU toward/)
  })

  it('every finding with a remedy names its evidence', () => {
    for (const f of findings(report({ host: NATS.symmetric, join: NATS.blocked }))) {
      if (f.remedy) expect(f.remedy.evidence.length, f.text).toBeGreaterThan(10)
    }
  })

  it('symmetric NAT: a static-port rule or a port-mapping protocol, resting on the mapping test', () => {
    const [r] = remedies(report({ host: NATS.symmetric, join: NATS.cone, clean: true }))
    expect(r!.action).toMatch(/Static Port/)
    expect(r!.action).toMatch(/UPnP IGD, NAT-PMP or PCP/)
    expect(r!.evidence).toMatch(/^mapping address-and-port-dependent: /)
  })

  it('UDP blocked: allow UDP, or TURN over TLS on 443', () => {
    const [r] = remedies(report({ host: NATS.cone, join: NATS.blocked, clean: true }))
    expect(r!.action).toMatch(/allow outbound UDP.*TURN server over TLS on port 443/)
    expect(r!.evidence).toMatch(/accepts TCP on the same port/)
  })

  describe('two sides behind one router', () => {
    const same = (hairpin: boolean | null, verdict: Report['connection']['verdict'], prefix = 24) => {
      const r = report({ host: { ...NATS.cone, mapped: { address: '81.2.69.142', port: 1000 }, local: { address: '10.1.0.2', port: 1000 }, hairpin }, join: { ...NATS.cone, mapped: { address: '81.2.69.142', port: 2000 }, local: { address: '10.2.0.2', port: 2000 }, hairpin }, verdict, clean: true })
      ;(r.sides[0] as SideReport).system!.interfaces = [{ name: 'eth0', up: true, mtu: 1500, internal: false, vpnLike: false, addresses: [{ address: '10.1.0.2', family: 4, prefixLength: prefix }] }]
      return r
    }
    it('no hairpin, separate segments, relayed: loopback or a route between them', () => {
      const list = remedies(same(false, 'relayed'))
      expect(list.map((r) => r.id)).toEqual(['no-hairpin'])
      expect(list[0]!.action).toMatch(/NAT loopback.*route between the two segments/)
      expect(list[0]!.evidence).toMatch(/both sides leave through 81\.2\.69\.142; the hairpin test of the host and the joiner got nothing back/)
    })
    it('nothing when the segments share a subnet, the NAT hairpins, or it went direct', () => {
      expect(ids(same(false, 'relayed', 8))).toEqual([])
      expect(ids(same(true, 'relayed'))).toEqual([])
      expect(ids(same(false, 'direct'))).toEqual([])
    })
  })

  it('double NAT, when a detector says so', () => {
    const r = report({ host: { ...NATS.cone, doubleNat: { detected: true, carrierGrade: true, reason: 'double NAT (carrier-grade NAT at hop 2, 100.64.0.1)', evidence: [], hops: [] } } as Partial<NatResult>, join: NATS.cone, clean: true })
    const [x] = remedies(r)
    expect(x).toMatchObject({ id: 'double-nat', evidence: 'double NAT (carrier-grade NAT at hop 2, 100.64.0.1)' })
    expect(x!.action).toMatch(/public IPv4 address.*IPv6.*TURN relay close to the users/)
  })

  it('WireGuard port: held by something, or not let in', () => {
    expect(portRemedy({ port: 51820, reachable: false, reason: 'already in use on the joiner', boundOn: ['join'] })).toMatchObject({ id: 'port-held', action: expect.stringMatching(/free UDP port 51820 on the joiner.*wg show/) })
    expect(portRemedy({ port: 51820, reachable: false, reason: 'nothing arrived at the host', boundOn: [] })).toMatchObject({ id: 'port-unreachable', evidence: 'UDP port 51820: nothing arrived at the host' })
    expect(portRemedy({ port: 51820, reachable: true, reason: 'ok', boundOn: [] })).toBeUndefined()
  })

  it('path MTU: the MTU to set, only below a full-size path', () => {
    expect(mtuRemedy({ mtu: 1500, toward: null })).toBeUndefined()
    expect(mtuRemedy({ mtu: null, toward: null })).toBeUndefined()
    expect(mtuRemedy({ mtu: 1400, toward: { address: '81.2.69.142', port: 1 } })!.action).toMatch(/MTU to 1320/)
  })

  it('ranks bad before warn, drops duplicates', () => {
    const r = { id: 'path-mtu' as const, action: 'a', evidence: 'e' }
    const list = rankRemedies([
      { level: 'warn', text: 'x', remedy: r },
      { level: 'info', text: 'no remedy' },
      { level: 'bad', text: 'y', remedy: { id: 'port-held', action: 'b', evidence: 'e' } },
      { level: 'warn', text: 'z', remedy: r }
    ])
    expect(list.map((x) => [x.rank, x.id, x.finding])).toEqual([[1, 'port-held', 'y'], [2, 'path-mtu', 'x']])
  })

  it('shareSubnet reads prefixes', () => {
    const ifs = [{ addresses: [{ address: '192.168.1.20', prefixLength: 24 }] }]
    expect(shareSubnet('192.168.1.5', '192.168.1.200', ifs)).toBe(true)
    expect(shareSubnet('192.168.1.5', '192.168.2.5', ifs)).toBe(false)
    expect(shareSubnet('fd00::1', '192.168.1.5', ifs)).toBe(false)
  })
})
