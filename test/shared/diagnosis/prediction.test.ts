import { describe, expect, it } from 'vitest'
import { comparePrediction, predict } from '../../../src/shared/diagnosis/prediction'
import type { NatClassic, NatFiltering, NatMapping } from '../../../src/shared/nat'

type Kind = 'open' | 'firewall' | 'full-cone' | 'restricted' | 'port-restricted' | 'symmetric' | 'blocked' | 'address-dependent-mapping'
const kinds: Record<Kind, { mapping: NatMapping; filtering: NatFiltering; classic: NatClassic }> = {
  open: { mapping: 'none', filtering: 'endpoint-independent', classic: 'open-internet' },
  firewall: { mapping: 'none', filtering: 'address-and-port-dependent', classic: 'symmetric-udp-firewall' },
  'full-cone': { mapping: 'endpoint-independent', filtering: 'endpoint-independent', classic: 'full-cone' },
  restricted: { mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone' },
  'port-restricted': { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', classic: 'port-restricted-cone' },
  symmetric: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', classic: 'symmetric' },
  'address-dependent-mapping': { mapping: 'address-dependent', filtering: 'address-dependent', classic: 'symmetric' },
  blocked: { mapping: 'unknown', filtering: 'unknown', classic: 'udp-blocked' }
}
let n = 0
const side = (k: Kind) => ({ ...kinds[k], mapped: { address: `198.51.100.${++n}`, port: 40000 } })

describe('prediction from both NAT behaviours', () => {
  // The table a troubleshooter would draw: rows host, columns joiner; with a TURN server configured.
  it.each([
    ['open', 'symmetric', 'direct'],
    ['open', 'blocked', 'relayed'],
    ['full-cone', 'symmetric', 'direct'],
    ['restricted', 'symmetric', 'direct'],
    ['restricted', 'address-dependent-mapping', 'direct'],
    ['port-restricted', 'port-restricted', 'direct'],
    ['port-restricted', 'full-cone', 'direct'],
    ['port-restricted', 'symmetric', 'relayed'],
    ['symmetric', 'port-restricted', 'relayed'],
    ['port-restricted', 'address-dependent-mapping', 'relayed'],
    ['symmetric', 'symmetric', 'relayed'],
    ['firewall', 'symmetric', 'relayed'],
    ['firewall', 'port-restricted', 'direct'],
    ['firewall', 'firewall', 'direct'],
    ['blocked', 'blocked', 'relayed']
  ] as const)('host %s, joiner %s: %s', (h, j, verdict) => {
    const p = predict({ host: side(h), join: side(j), turn: true })
    expect(p.verdict).toBe(verdict)
    expect(p.reason).toMatch(/host|joiner/)
  })

  it('reads as one sentence: no "host: ...; joiner: ...: ..." chain of colons', () => {
    const noNat = { mapping: 'none' as const, filtering: 'unknown' as const, classic: 'unknown' as const, mapped: { address: '127.0.0.1', port: 1 } }
    expect(predict({ host: noNat, join: { ...noNat, mapped: { address: '127.0.0.1', port: 2 } }, turn: false })).toEqual({
      verdict: 'unknown',
      reason: 'the host has no NAT (filtering unknown) and the joiner has no NAT (filtering unknown), which is not enough to predict'
    })
    for (const h of Object.keys(kinds) as Kind[]) {
      for (const j of Object.keys(kinds) as Kind[]) {
        const { reason } = predict({ host: side(h), join: side(j), turn: true })
        expect(reason, reason).not.toMatch(/(host|joiner):/)
        expect(reason.split(': ').length, reason).toBeLessThanOrEqual(2)
      }
    }
  })

  it('says failed, not relayed, without a TURN server', () => {
    const p = predict({ host: side('symmetric'), join: side('symmetric'), turn: false })
    expect(p.verdict).toBe('failed')
    expect(p.reason).toMatch(/hole punching cannot work.*no TURN server/)
    expect(predict({ host: side('blocked'), join: side('open'), turn: false }).verdict).toBe('failed')
  })

  it('with UDP blocked, needs TURN over TCP or TLS', () => {
    expect(predict({ host: side('blocked'), join: side('port-restricted'), turn: true, turnTcp: { host: false, join: true } })).toMatchObject({
      verdict: 'failed',
      reason: expect.stringMatching(/UDP is blocked on the host, and the host has no TURN server of its own/)
    })
    expect(predict({ host: side('port-restricted'), join: side('blocked'), turn: true, turnTcp: { host: true, join: true } }).verdict).toBe('relayed')
    expect(predict({ host: side('blocked'), join: side('blocked'), turn: true, turnTcp: { host: false, join: false } }).reason).toMatch(/neither has/)
  })

  it('explains the symmetric case in plain words', () => {
    expect(predict({ host: side('symmetric'), join: side('symmetric'), turn: true }).reason).toMatch(/both mappings change per destination, so hole punching cannot work: expect the TURN relay/)
  })

  it('is unknown without both measurements, unless one side is open whatever the other', () => {
    expect(predict({ host: side('symmetric'), join: null, turn: true }).verdict).toBe('unknown')
    const unknownJoin = { mapping: 'unknown' as const, filtering: 'unknown' as const, classic: 'unknown' as const, mapped: null }
    expect(predict({ host: side('full-cone'), join: unknownJoin, turn: true }).verdict).toBe('direct')
    expect(predict({ host: side('port-restricted'), join: unknownJoin, turn: true }).verdict).toBe('unknown')
  })

  it('expects direct when both sides share one public address', () => {
    const a = { ...kinds.symmetric, mapped: { address: '198.51.100.200', port: 1 } }
    const b = { ...kinds.symmetric, mapped: { address: '198.51.100.200', port: 2 } }
    expect(predict({ host: a, join: b, turn: true })).toMatchObject({ verdict: 'direct', reason: expect.stringMatching(/same public address/) })
  })

  describe('both sides behind one router', () => {
    const at = (port: number, hairpin: boolean | null) => ({ ...kinds['port-restricted'], mapped: { address: '198.51.100.200', port }, hairpin })
    it.each([
      ['share a subnet', true, false, 'direct', /share a subnet: direct via host candidates/],
      ['separate segments, hairpinning router', false, true, 'direct', /loops packets .* back inside \(hairpin\): direct via the hairpin, between server-reflexive candidates/],
      ['separate segments, no hairpin', false, false, 'relayed', /the router does not loop back \(no hairpin\) and the segments are separate: expect the TURN relay/],
      ['subnet unknown, no hairpin', undefined, false, 'direct', /whether the host addresses share a subnet not measured/],
      ['separate segments, hairpin not measured', false, null, 'direct', /hairpinning not measured/]
    ] as const)('%s: %s', (_name, sameSubnet, hairpin, verdict, reason) => {
      const p = predict({ host: at(1, hairpin), join: at(2, hairpin), turn: true, ...(sameSubnet === undefined ? {} : { sameSubnet }) })
      expect(p).toMatchObject({ verdict, reason: expect.stringMatching(reason) })
    })
    it('no TURN server, no hairpin, separate segments: expect no connection', () => {
      expect(predict({ host: at(1, false), join: at(2, false), turn: false, sameSubnet: false }).verdict).toBe('failed')
    })
  })
})

describe('prediction beside the observed verdict', () => {
  it.each([
    ['direct', 'direct', true, undefined],
    ['direct', 'relayed', false, /firewall or a route is in the way/],
    ['direct', 'failed', false, /firewall/],
    ['relayed', 'direct', false, /share a network/],
    ['relayed', 'failed', false, /TURN server probe/],
    ['unknown', 'direct', null, undefined]
  ] as const)('predicted %s, observed %s', (p, o, agrees, note) => {
    const c = comparePrediction(p, o)
    expect(c.agrees).toBe(agrees)
    if (note) expect(c.note).toMatch(note)
  })
})
