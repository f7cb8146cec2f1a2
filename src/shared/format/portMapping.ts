// Port mapping (UPnP IGD, NAT-PMP, PCP) and double NAT in words: one line each, for every renderer.
import type { DoubleNatResult, PortMappingResult } from '../nat'

/** "UPnP IGD, NAT-PMP (external 203.0.113.11)" or "none (UPnP: no SSDP answer ...; NAT-PMP: ...)". */
export function formatPortMapping(p: PortMappingResult | undefined): string {
  if (!p) return 'not probed'
  if (p.gateway === null) return `not probed: ${p.upnp.reason}`
  const offered = [p.upnp.available ? 'UPnP IGD' : '', p.natPmp.available ? 'NAT-PMP' : '', p.pcp.available ? 'PCP' : ''].filter(Boolean)
  if (offered.length) return `${offered.join(', ')} on ${p.gateway}${p.externalAddress ? ` (external address ${p.externalAddress})` : ''}`
  return `none on ${p.gateway} (UPnP: ${p.upnp.reason}; NAT-PMP: ${p.natPmp.reason}; PCP: ${p.pcp.reason})`
}

export function formatDoubleNat(d: DoubleNatResult | undefined): string {
  if (!d) return 'not looked for'
  return d.reason
}
