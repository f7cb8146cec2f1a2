import { describe, expect, it } from 'vitest'
import { formatDoubleNat, formatPortMapping } from '../../../src/shared/format'
import type { PortMappingResult } from '../../../src/shared/nat'

const no = (reason: string) => ({ available: false, reason, externalAddress: null, ms: 1 })

describe('port mapping and double NAT in words', () => {
  it.each([
    [undefined, 'not probed'],
    [{ gateway: null, upnp: no('no gateway to ask: no IPv4 default route'), natPmp: no('x'), pcp: no('x'), externalAddress: null }, 'not probed: no gateway to ask: no IPv4 default route'],
    [
      { gateway: '10.1.0.1', upnp: { ...no('ok'), available: true, externalAddress: '203.0.113.11' }, natPmp: { ...no('ok'), available: true }, pcp: no('PCP refused: not authorized'), externalAddress: '203.0.113.11' },
      'UPnP IGD, NAT-PMP on 10.1.0.1 (external address 203.0.113.11)'
    ],
    [
      { gateway: '10.1.0.1', upnp: no('no SSDP answer within 1500 ms'), natPmp: no('no answer from 10.1.0.1:5351 within 2000 ms'), pcp: no('no answer from 10.1.0.1:5351 within 2000 ms'), externalAddress: null },
      'none on 10.1.0.1 (UPnP: no SSDP answer within 1500 ms; NAT-PMP: no answer from 10.1.0.1:5351 within 2000 ms; PCP: no answer from 10.1.0.1:5351 within 2000 ms)'
    ]
  ] as Array<[PortMappingResult | undefined, string]>)('%#', (p, text) => {
    expect(formatPortMapping(p)).toBe(text)
  })

  it('double NAT: the reason, or "not looked for"', () => {
    expect(formatDoubleNat(undefined)).toBe('not looked for')
    expect(formatDoubleNat({ detected: true, carrierGrade: true, reason: 'double NAT (carrier-grade NAT at hop 2, 100.64.1.1)', evidence: [], hops: [] })).toBe('double NAT (carrier-grade NAT at hop 2, 100.64.1.1)')
  })
})
