// Port mapping against Debian's miniupnpd on a lab router (issue 13): `peerlens nat --json` reports
// what the gateway offers, and says why not where it offers nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCarrierNatHost, createLab, hasMiniupnpd, hasNft, labUnavailable, startMiniupnpd, type Lab } from './lab'
import { natCommandLine, REPO } from './natCli'

const why = (await labUnavailable()) ?? (!(await hasMiniupnpd()) ? 'miniupnpd is not installed (apt-get install miniupnpd miniupnpd-nftables)' : !(await hasNft()) ? 'nft is not installed' : undefined)
if (why) console.warn(`skipping the port-mapping lab: ${why}`)

describe.skipIf(why !== undefined)('port mapping in the NAT lab (miniupnpd)', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await createLab()
  }, 60_000)
  afterAll(async () => {
    await lab?.teardown()
  })

  async function natJson(ns: string) {
    const cli = natCommandLine()
    const r = await lab.exec(ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--json'], { cwd: REPO, timeoutMs: 30_000 })
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout)
  }

  it('behind a miniupnpd router, `peerlens nat --json` reports UPnP IGD, NAT-PMP and PCP and the external address', async () => {
    const host = await lab.addHost('port-restricted', 'upnp-home')
    const daemon = await startMiniupnpd(lab, host)
    const json = await natJson(host.ns)
    const pm = json.portMapping
    expect(pm, daemon.log()).toBeDefined()
    expect(pm.gateway).toBe(daemon.gateway)
    expect(pm.upnp, JSON.stringify(pm) + daemon.log()).toMatchObject({ available: true, externalAddress: host.publicAddress })
    expect(pm.upnp.serviceType).toMatch(/WANIPConnection/)
    expect(pm.natPmp, JSON.stringify(pm)).toMatchObject({ available: true, externalAddress: host.publicAddress })
    expect(pm.pcp, JSON.stringify(pm)).toMatchObject({ available: true })
    expect(pm.externalAddress).toBe(host.publicAddress)
    // One NAT: the gateway's external address is the one STUN saw.
    expect(json.doubleNat, JSON.stringify(json.doubleNat)).toMatchObject({ detected: false, carrierGrade: false })
    expect(json.doubleNat.evidence.join(' ')).toMatch(/the same address STUN saw/)
  }, 60_000)

  it('behind a router without port mapping, each protocol says why not, and the NAT is still classified', async () => {
    const host = await lab.addHost('symmetric', 'plain-home')
    const json = await natJson(host.ns)
    expect(json.classic).toBe('symmetric')
    const pm = json.portMapping
    expect(pm.upnp).toMatchObject({ available: false, externalAddress: null })
    expect(pm.upnp.reason).toMatch(/no SSDP answer/)
    expect(pm.natPmp.reason).toMatch(/no answer from 10\.\d+\.0\.1:5351/)
    expect(pm.pcp.available).toBe(false)
    expect(pm.externalAddress).toBeNull()
  }, 60_000)

  it('a home NAT behind a carrier-grade NAT: "double NAT (carrier-grade NAT at hop 2, 100.64.x.1)"', async () => {
    const host = await addCarrierNatHost(lab, 'cgn-home')
    try {
      const json = await natJson(host.ns)
      expect(json.mapped.address).toBe(host.publicAddress)
      expect(json.doubleNat, JSON.stringify(json.doubleNat)).toMatchObject({ detected: true, carrierGrade: true })
      expect(json.doubleNat.reason).toContain(`double NAT (carrier-grade NAT at hop 2, ${host.carrierInside})`)
      expect(json.doubleNat.hops.slice(0, 2)).toEqual([
        { hop: 1, address: host.address.replace(/\.2$/, '.1') },
        { hop: 2, address: host.carrierInside }
      ])
      // The human output says it too.
      const cli = natCommandLine()
      const r = await lab.exec(host.ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--no-port-mapping'], { cwd: REPO, timeoutMs: 30_000 })
      expect(r.stdout).toMatch(/double NAT: +double NAT \(carrier-grade NAT at hop 2, 100\.64\./)
    } finally {
      await host.remove()
    }
  }, 60_000)
})
