import { describe, expect, it } from 'vitest'
import { classicLabel, classifyNat, type ClassifyInput } from '../../../src/core/nat/classify'
import type { NatEndpoint, NatTest, NatTestName } from '../../../src/shared/nat'

const server = { address: '203.0.113.2', port: 3478 }
const other = { address: '203.0.113.3', port: 3479 }
const changedPort = { address: server.address, port: other.port }
const pub = (port: number): NatEndpoint => ({ address: '198.51.100.9', port })

function reply(name: NatTestName, mapped: NatEndpoint | null, from: NatEndpoint, extra: Partial<NatTest> = {}): NatTest {
  return { name, target: server, result: 'reply', mapped, from, ms: 1, attempts: 1, ...extra }
}
function silent(name: NatTestName): NatTest {
  return { name, target: server, result: 'timeout', mapped: null, from: null, ms: 250, attempts: 3 }
}

/** The evidence a NAT with these behaviours produces. */
function evidence(o: { m1: NatEndpoint; m2?: NatEndpoint | null; m3?: NatEndpoint | null; f2: boolean; f3: boolean; other?: NatEndpoint | null }): NatTest[] {
  const otherAddress = o.other === null ? undefined : (o.other ?? other)
  return [
    reply('mapping-1', o.m1, server, otherAddress ? { otherAddress } : {}),
    ...(o.m2 === null ? [] : [o.m2 ? reply('mapping-2', o.m2, { address: other.address, port: server.port }) : silent('mapping-2')]),
    ...(o.m3 === null ? [] : [o.m3 ? reply('mapping-3', o.m3, other) : silent('mapping-3')]),
    reply('filtering-1', pub(5000), server, otherAddress ? { otherAddress } : {}),
    o.f2 ? reply('filtering-2', pub(5000), other) : silent('filtering-2'),
    o.f3 ? reply('filtering-3', pub(5000), changedPort) : silent('filtering-3')
  ]
}

const input = (tests: NatTest[], extra: Partial<ClassifyInput> = {}): ClassifyInput => ({
  server,
  localPort: 40000,
  localAddresses: ['10.1.0.2', '127.0.0.1'],
  serverReach: 'udp',
  tests,
  ...extra
})

describe('classifyNat: RFC 5780 verdicts', () => {
  it.each([
    // name, evidence, mapping, filtering, classic
    ['open internet', { m1: { address: '10.1.0.2', port: 40000 }, m2: { address: '10.1.0.2', port: 40000 }, m3: { address: '10.1.0.2', port: 40000 }, f2: true, f3: true }, 'none', 'endpoint-independent', 'open-internet'],
    ['symmetric UDP firewall', { m1: { address: '10.1.0.2', port: 40000 }, m2: { address: '10.1.0.2', port: 40000 }, m3: { address: '10.1.0.2', port: 40000 }, f2: false, f3: false }, 'none', 'address-and-port-dependent', 'symmetric-udp-firewall'],
    ['firewall letting other ports of a known address in', { m1: { address: '10.1.0.2', port: 40000 }, m2: null, m3: null, f2: false, f3: true }, 'none', 'address-dependent', 'symmetric-udp-firewall'],
    ['full cone', { m1: pub(40000), m2: pub(40000), m3: pub(40000), f2: true, f3: true }, 'endpoint-independent', 'endpoint-independent', 'full-cone'],
    ['restricted cone', { m1: pub(40000), m2: pub(40000), m3: pub(40000), f2: false, f3: true }, 'endpoint-independent', 'address-dependent', 'restricted-cone'],
    ['port-restricted cone', { m1: pub(40000), m2: pub(40000), m3: pub(40000), f2: false, f3: false }, 'endpoint-independent', 'address-and-port-dependent', 'port-restricted-cone'],
    ['port-restricted cone without port preservation', { m1: pub(1), m2: pub(1), m3: pub(1), f2: false, f3: false }, 'endpoint-independent', 'address-and-port-dependent', 'port-restricted-cone'],
    ['address-dependent mapping', { m1: pub(1), m2: pub(2), m3: pub(2), f2: false, f3: true }, 'address-dependent', 'address-dependent', 'symmetric'],
    ['symmetric', { m1: pub(1), m2: pub(2), m3: pub(3), f2: false, f3: false }, 'address-and-port-dependent', 'address-and-port-dependent', 'symmetric'],
    ['symmetric with open filtering', { m1: pub(1), m2: pub(2), m3: pub(3), f2: true, f3: true }, 'address-and-port-dependent', 'endpoint-independent', 'symmetric'],
    ['endpoint-independent filtering wins over a lost test III', { m1: pub(1), m2: pub(1), m3: pub(1), f2: true, f3: false }, 'endpoint-independent', 'endpoint-independent', 'full-cone'],
    ['mapping test II unanswered', { m1: pub(1), m2: undefined, m3: undefined, f2: false, f3: false }, 'unknown', 'address-and-port-dependent', 'unknown'],
    ['mapping changed but test III unanswered', { m1: pub(1), m2: pub(2), m3: undefined, f2: false, f3: false }, 'unknown', 'address-and-port-dependent', 'unknown']
  ] as const)('%s', (_name, e, mapping, filtering, classic) => {
    const c = classifyNat(input(evidence(e as Parameters<typeof evidence>[0])))
    expect({ mapping: c.mapping, filtering: c.filtering, classic: c.classic, method: c.method }).toEqual({ mapping, filtering, classic, method: 'rfc5780' })
    expect(c.reason).toMatch(/\.$/)
  })
})

describe('classifyNat: when nothing or too little answers', () => {
  it.each([
    ['tcp-only', 'udp-blocked', /UDP blocked/],
    ['tcp-refused', 'unknown', /probably down/],
    ['unreachable', 'unknown', /down or unreachable/],
    ['not-tested', 'unknown', /no answer/]
  ] as const)('no UDP answer, TCP %s', (serverReach, classic, reason) => {
    const c = classifyNat(input([silent('mapping-1'), silent('filtering-1')], { serverReach }))
    expect(c).toMatchObject({ mapping: 'unknown', filtering: 'unknown', classic, method: 'none' })
    expect(c.reason).toMatch(reason)
  })

  it('a send error (no route) is said as such', () => {
    const c = classifyNat(input([{ ...silent('mapping-1'), result: 'error', detail: 'send failed: ENETUNREACH' }]))
    expect(c.reason).toMatch(/ENETUNREACH/)
  })

  it.each([
    ['no OTHER-ADDRESS', null, /does not support RFC 5780/],
    ['OTHER-ADDRESS with the same IP', { address: server.address, port: 3479 }, /same IP/],
    ['OTHER-ADDRESS with the same port', { address: other.address, port: server.port }, /same port/]
  ] as const)('server without usable RFC 5780: %s', (_name, otherAddress, reason) => {
    const c = classifyNat(input(evidence({ m1: pub(1), m2: null, m3: null, f2: false, f3: false, other: otherAddress })))
    expect(c).toMatchObject({ mapping: 'unknown', filtering: 'unknown', classic: 'unknown', method: 'none' })
    expect(c.reason).toMatch(reason)
    expect(c.reason).toMatch(/--stun2/)
  })

  it('server ignoring CHANGE-REQUEST: filtering unknown, not full cone', () => {
    const tests = evidence({ m1: pub(1), m2: pub(1), m3: pub(1), f2: true, f3: true }).map((t) => (t.name === 'filtering-2' || t.name === 'filtering-3' ? { ...t, from: server } : t))
    const c = classifyNat(input(tests))
    expect(c).toMatchObject({ mapping: 'endpoint-independent', filtering: 'unknown', classic: 'unknown' })
    expect(c.reason).toMatch(/ignored CHANGE-REQUEST/)
  })

  it('server refusing CHANGE-REQUEST with 420', () => {
    const tests = evidence({ m1: pub(1), m2: pub(1), m3: pub(1), f2: true, f3: true }).map((t) => (t.name === 'filtering-2' ? { ...t, errorCode: 420, mapped: null } : t))
    expect(classifyNat(input(tests)).reason).toMatch(/refused CHANGE-REQUEST \(error 420\)/)
  })

  it('no control answer on the fresh socket: filtering unknown', () => {
    const tests = evidence({ m1: pub(1), m2: pub(1), m3: pub(1), f2: false, f3: false }).map((t) => (t.name === 'filtering-1' ? silent('filtering-1') : t))
    expect(classifyNat(input(tests))).toMatchObject({ mapping: 'endpoint-independent', filtering: 'unknown', classic: 'unknown' })
  })

  it('an error response to test I', () => {
    const c = classifyNat(input([reply('mapping-1', null, server, { errorCode: 400 })]))
    expect(c).toMatchObject({ mapping: 'unknown', classic: 'unknown' })
    expect(c.reason).toMatch(/error 400/)
  })
})

describe('classifyNat: two plain servers (fallback)', () => {
  const server2 = { address: '192.0.2.10', port: 3478 }
  const base = (m1: NatEndpoint, s2: NatTest | undefined) =>
    input([reply('mapping-1', m1, server), ...(s2 ? [s2] : []), reply('filtering-1', pub(9), server)], { server2 })
  it.each([
    ['same mapping toward both', pub(1), pub(1), 'endpoint-independent', 'unknown'],
    ['mapping varies by destination', pub(1), pub(2), 'address-dependent', 'symmetric']
  ] as const)('%s', (_name, m1, m2, mapping, classic) => {
    const c = classifyNat(base(m1, { ...reply('mapping-server2', m2, server2), target: server2 }))
    expect(c).toMatchObject({ mapping, filtering: 'unknown', classic, method: 'two-servers' })
    expect(c.reason).toMatch(/filtering cannot be tested/)
  })

  it('same IP, other port: address-and-port-dependent', () => {
    const sameIp = { address: server.address, port: 19302 }
    const c = classifyNat({ ...base(pub(1), { ...reply('mapping-server2', pub(2), sameIp), target: sameIp }), server2: sameIp })
    expect(c.mapping).toBe('address-and-port-dependent')
  })

  it('one server without RFC 5780 seeing our own address: no NAT, by the local-address method, no second server needed', () => {
    const own = { address: '10.1.0.2', port: 40000 }
    const c = classifyNat(input([reply('mapping-1', own, server), reply('filtering-1', own, server), reply('hairpin', own, own)]))
    expect(c).toMatchObject({ mapping: 'none', filtering: 'unknown', classic: 'unknown', method: 'local-address' })
    expect(c.reason).toMatch(/^no NAT, the server sees our own address 10\.1\.0\.2:40000; filtering cannot be tested/)
  })

  it('second server silent', () => {
    const c = classifyNat(base(pub(1), { ...silent('mapping-server2'), target: server2 }))
    expect(c).toMatchObject({ mapping: 'unknown', method: 'none' })
    expect(c.reason).toMatch(/did not answer/)
  })
})

describe('classicLabel covers every combination', () => {
  const mappings = ['none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'] as const
  const filterings = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'] as const
  const table: Record<string, string> = {}
  for (const m of mappings) for (const f of filterings) table[`${m} / ${f}`] = classicLabel(m, f)
  it('matches the RFC 3489 table', () => {
    expect(table).toMatchInlineSnapshot(`
      {
        "address-and-port-dependent / address-and-port-dependent": "symmetric",
        "address-and-port-dependent / address-dependent": "symmetric",
        "address-and-port-dependent / endpoint-independent": "symmetric",
        "address-and-port-dependent / unknown": "symmetric",
        "address-dependent / address-and-port-dependent": "symmetric",
        "address-dependent / address-dependent": "symmetric",
        "address-dependent / endpoint-independent": "symmetric",
        "address-dependent / unknown": "symmetric",
        "endpoint-independent / address-and-port-dependent": "port-restricted-cone",
        "endpoint-independent / address-dependent": "restricted-cone",
        "endpoint-independent / endpoint-independent": "full-cone",
        "endpoint-independent / unknown": "unknown",
        "none / address-and-port-dependent": "symmetric-udp-firewall",
        "none / address-dependent": "symmetric-udp-firewall",
        "none / endpoint-independent": "open-internet",
        "none / unknown": "unknown",
        "unknown / address-and-port-dependent": "unknown",
        "unknown / address-dependent": "unknown",
        "unknown / endpoint-independent": "unknown",
        "unknown / unknown": "unknown",
      }
    `)
  })
})

describe('classifyNat: how sure, on a lossy path', () => {
  const lossy = (f3Attempts: number) => {
    const tests = evidence({ m1: pub(1), m2: pub(1), m3: pub(1), f2: false, f3: false })
    // Two of the answered requests needed a second transmission: 2 of 6 lost.
    tests[0] = { ...tests[0]!, attempts: 2 }
    tests[3] = { ...tests[3]!, attempts: 2 }
    return tests.map((t) => (t.name === 'filtering-2' || t.name === 'filtering-3' ? { ...t, attempts: f3Attempts } : t))
  }
  it('says nothing when nothing was lost', () => {
    expect(classifyNat(input(evidence({ m1: pub(1), m2: pub(1), m3: pub(1), f2: false, f3: false }))).reason).not.toMatch(/lost/)
  })
  it('says what was lost and how unlikely it is that loss alone made the silence', () => {
    const c = classifyNat(input(lossy(14)))
    expect(c.filtering).toBe('address-and-port-dependent')
    expect(c.reason).toMatch(/The path lost packets: 2 of 6 requests needed resending \(about 33% lost\); the silent tests went unanswered 14 times in a row: less than 1 in 10000 that loss alone did that\.$/)
  })
  it('calls the filtering uncertain when few requests went unanswered', () => {
    expect(classifyNat(input(lossy(3))).reason).toMatch(/unanswered 3 times in a row: about 1 in 27 that loss alone did that, so the filtering is uncertain\.$/)
  })
})
