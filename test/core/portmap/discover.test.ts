// The port-mapping clients against a fake gateway on loopback (real UDP and HTTP sockets): what a good
// gateway gives, and one-line reasons for garbage, errors, refusals and silence, each within its bound.
import { afterEach, describe, expect, it } from 'vitest'
import { natPmpMapUdp, pcpMapUdp, upnpMapUdp } from '../../../src/core/portmap/clients'
import { discoverPortMapping } from '../../../src/core/portmap/discover'
import { startFakeGateway, type FakeGateway } from './fakeGateway'

let gw: FakeGateway | undefined
afterEach(async () => {
  await gw?.close()
  gw = undefined
})

describe('discoverPortMapping against a fake gateway', () => {
  it('a gateway offering all three: each found, the external address agreed', async () => {
    gw = await startFakeGateway({})
    const d = await discoverPortMapping({ gateway: gw.address, timeoutMs: 1000 })
    expect(d.result).toMatchObject({
      gateway: gw.address,
      upnp: { available: true, externalAddress: gw.external, serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1', server: 'fake/1 UPnP/1.1' },
      natPmp: { available: true, externalAddress: gw.external },
      pcp: { available: true, version: 2 },
      externalAddress: gw.external
    })
    expect(d.localAddress).toBe('127.0.0.1')
    // Discovery changes nothing: no mapping request was sent.
    expect(gw.seen.soap).toEqual(['GetExternalIPAddress'])
    expect(gw.seen.udp.every((h) => h === '0000' || h.startsWith('0200'))).toBe(true)
  })

  it('garbage everywhere: one-line reasons, nothing thrown', async () => {
    gw = await startFakeGateway({ natPmp: 'garbage', pcp: 'garbage', upnp: 'garbage' })
    const d = await discoverPortMapping({ gateway: gw.address, timeoutMs: 1000 })
    expect(d.result.natPmp).toMatchObject({ available: false, reason: expect.stringMatching(/not a NAT-PMP answer/) })
    expect(d.result.pcp).toMatchObject({ available: false, reason: expect.stringMatching(/not a PCP answer/) })
    expect(d.result.upnp).toMatchObject({ available: false, reason: 'the device description is not UPnP XML (no <root>)' })
    expect(d.result.externalAddress).toBeNull()
    for (const p of [d.result.natPmp, d.result.pcp, d.result.upnp]) expect(p.reason).not.toMatch(/\n/)
  })

  it('errors and refusals are said in words', async () => {
    gw = await startFakeGateway({ natPmp: 'error', pcp: 'error', upnp: 'error' })
    const d = await discoverPortMapping({ gateway: gw.address, timeoutMs: 1000 })
    expect(d.result.natPmp.reason).toMatch(/^NAT-PMP refused: not authorized/)
    expect(d.result.pcp.reason).toBe('PCP refused: not authorized')
    expect(d.result.upnp.reason).toBe('GetExternalIPAddress: UPnP error 501 (ActionFailed) (HTTP 500)')
  })

  it('a silent gateway: bounded, "no answer"', async () => {
    gw = await startFakeGateway({ natPmp: 'silent', pcp: 'silent', ssdp: 'silent' })
    const t0 = performance.now()
    const d = await discoverPortMapping({ gateway: gw.address, timeoutMs: 600 })
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(d.result.natPmp.reason).toBe(`no answer from ${gw.address}:5351 within 600 ms`)
    expect(d.result.upnp.reason).toMatch(/no SSDP answer within/)
    // NAT-PMP retransmits (250 ms, then 500 ms) while it waits.
    expect(gw.seen.udp.filter((h) => h === '0000').length).toBeGreaterThanOrEqual(2)
  })

  it('a gateway that is not IPv4 is refused in words', async () => {
    const d = await discoverPortMapping({ gateway: 'fe80::1' })
    expect(d.result.natPmp.reason).toBe('the gateway fe80::1 is not an IPv4 address')
  })
})

describe('mapping and removing a UDP port', () => {
  it('NAT-PMP, PCP and UPnP map, and remove sends the deleting request', async () => {
    gw = await startFakeGateway({})
    const n = await natPmpMapUdp(gw.address, 40000, 600, 1000, gw.external)
    expect(n).toMatchObject({ ok: true, value: { protocol: 'nat-pmp', internalPort: 40000, externalPort: 40001, lifetimeS: 600 } })
    if (!n.ok) return
    expect(await n.value.remove()).toMatchObject({ ok: true })
    expect(gw.seen.udp.at(-1)).toBe('00010000' + '9c40' + '0000' + '00000000')

    const p = await pcpMapUdp(gw.address, '127.0.0.1', 40000, 600, 1000)
    expect(p).toMatchObject({ ok: true, value: { protocol: 'pcp', externalPort: 40002, externalAddress: '198.51.100.7' } })
    if (!p.ok) return
    expect(await p.value.remove()).toMatchObject({ ok: true })
    expect(gw.seen.udp.at(-1)!.slice(8, 16)).toBe('00000000') // lifetime 0

    const d = await discoverPortMapping({ gateway: gw.address, timeoutMs: 1000 })
    const u = await upnpMapUdp(d.igd!.service, '127.0.0.1', 40000, 600, 1000, gw.external)
    expect(u).toMatchObject({ ok: true, value: { protocol: 'upnp', externalPort: 40000 } })
    if (!u.ok) return
    expect(await u.value.remove()).toMatchObject({ ok: true })
    expect(gw.seen.soap.slice(-2)).toEqual(['AddPortMapping', 'DeletePortMapping'])
  })

  it('a refused mapping is a reason, not an exception', async () => {
    gw = await startFakeGateway({ natPmp: 'error', pcp: 'error' })
    expect(await natPmpMapUdp(gw.address, 40000, 600, 1000, null)).toMatchObject({ ok: false, resultCode: 2 })
    expect(await pcpMapUdp(gw.address, '127.0.0.1', 40000, 600, 1000)).toMatchObject({ ok: false, reason: 'PCP refused: not authorized' })
  })
})

describe('a gateway with nothing on 5351', () => {
  it('answers ICMP port unreachable: said at once, not after the timeout', async () => {
    const t0 = performance.now()
    const d = await discoverPortMapping({ gateway: '127.0.0.1', timeoutMs: 3000 })
    // (If something on this machine serves NAT-PMP on loopback, this test proves nothing; nothing does in CI.)
    if (d.result.natPmp.available) return
    expect(d.result.natPmp.reason).toBe('the gateway refused (ICMP port unreachable: nothing listens there)')
    expect(d.result.pcp.reason).toBe('the gateway refused (ICMP port unreachable: nothing listens there)')
    expect(d.result.natPmp.ms).toBeLessThan(1000)
    expect(performance.now() - t0).toBeLessThan(2500)
  })
})
