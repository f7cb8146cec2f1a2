// Port-mapping discovery on the default gateway: UPnP IGD (SSDP, description, GetExternalIPAddress),
// NAT-PMP (external address request) and PCP (ANNOUNCE), all three at once, each bounded. Changes
// nothing on the router. Never throws: each protocol says what it found or why not.
import { isIPv4 } from 'node:net'
import type { PortMappingResult } from '../../shared/nat'
import { igdDescribe, natPmpExternalAddress, pcpAnnounce, soap, ssdpSearch, type IgdFound } from './clients'
import { defaultGateway4 } from './gateway'
import { localAddressToward } from './transport'

export interface PortMappingOptions {
  /** The gateway to ask; default: the IPv4 default route's next hop. */
  gateway?: string
  /** Per protocol, ms (default 2000). */
  timeoutMs?: number
}

export interface PortMappingDiscovery {
  result: PortMappingResult
  /** The UPnP service found, for mapping requests later. */
  igd: IgdFound | null
  localAddress: string | null
}

const none = (reason: string) => ({ available: false, reason, externalAddress: null, ms: 0 })

export async function discoverPortMapping(options: PortMappingOptions = {}): Promise<PortMappingDiscovery> {
  const timeoutMs = options.timeoutMs ?? 2000
  let gateway = options.gateway ?? null
  if (gateway === null) {
    const gw = await defaultGateway4()
    gateway = gw.address
    if (!gateway) {
      const why = `no gateway to ask: ${gw.reason}`
      return { result: { gateway: null, upnp: none(why), natPmp: none(why), pcp: none(why), externalAddress: null }, igd: null, localAddress: null }
    }
  }
  if (!isIPv4(gateway)) {
    const why = `the gateway ${gateway} is not an IPv4 address`
    return { result: { gateway, upnp: none(why), natPmp: none(why), pcp: none(why), externalAddress: null }, igd: null, localAddress: null }
  }
  const gw = gateway
  const localAddress = await localAddressToward(gw)
  const [upnp, natPmp, pcp] = await Promise.all([probeUpnp(gw, localAddress, timeoutMs), probeNatPmp(gw, timeoutMs), probePcp(gw, localAddress, timeoutMs)])
  const externalAddress = upnp.part.externalAddress ?? natPmp.externalAddress ?? pcp.externalAddress ?? null
  return { result: { gateway: gw, upnp: upnp.part, natPmp, pcp, externalAddress }, igd: upnp.igd, localAddress }
}

async function probeNatPmp(gateway: string, timeoutMs: number): Promise<PortMappingResult['natPmp']> {
  const r = await natPmpExternalAddress(gateway, timeoutMs)
  if (!r.ok) return { available: false, reason: r.reason, externalAddress: null, ms: r.ms }
  return { available: true, reason: `external address ${r.value.address}`, externalAddress: r.value.address, ms: r.ms }
}

async function probePcp(gateway: string, localAddress: string | null, timeoutMs: number): Promise<PortMappingResult['pcp']> {
  if (!localAddress) return none(`no local address toward ${gateway}`)
  const r = await pcpAnnounce(gateway, localAddress, timeoutMs)
  if (!r.ok) return { available: false, reason: r.reason, externalAddress: null, ms: r.ms }
  return { available: true, reason: `PCP version 2 answered ANNOUNCE (epoch ${r.value.epoch} s)`, externalAddress: null, ms: r.ms, version: 2 }
}

async function probeUpnp(gateway: string, localAddress: string | null, timeoutMs: number): Promise<{ part: PortMappingResult['upnp']; igd: IgdFound | null }> {
  const t0 = performance.now()
  const ms = () => Math.round(performance.now() - t0)
  const search = await ssdpSearch(gateway, localAddress, Math.min(timeoutMs, 1500))
  if (!search.ok) return { part: { available: false, reason: search.reason, externalAddress: null, ms: ms() }, igd: null }
  const { location, server } = search.value
  const desc = await igdDescribe(location, server, timeoutMs)
  if (!desc.ok) return { part: { available: false, reason: desc.reason, externalAddress: null, ms: ms(), location, server }, igd: null }
  const igd = desc.value
  const ext = await soap(igd.service, 'GetExternalIPAddress', {}, ['NewExternalIPAddress'], timeoutMs)
  const base = { location, server, serviceType: igd.service.serviceType }
  if (!ext.ok) return { part: { available: false, reason: ext.reason, externalAddress: null, ms: ms(), ...base }, igd }
  const address = ext.value.NewExternalIPAddress!
  if (!isIPv4(address)) return { part: { available: false, reason: `GetExternalIPAddress gave ${JSON.stringify(address.slice(0, 40))}, not an IPv4 address`, externalAddress: null, ms: ms(), ...base }, igd }
  return { part: { available: true, reason: `${igd.service.serviceType.split(':').slice(-2).join(':')} at ${new URL(location).host}, external address ${address}`, externalAddress: address, ms: ms(), ...base }, igd }
}

