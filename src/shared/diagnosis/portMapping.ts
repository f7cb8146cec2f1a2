// The verdict's reason says when the path in use ran through a port mapping (--port-mapping, issue 13):
// "direct ...; thanks to a NAT-PMP mapping on the host's side (without it: relayed, as the NAT types predicted)".
import type { PortMappingResult } from '../nat'
import type { Role, Verdict } from '../session'

type Protocol = NonNullable<NonNullable<PortMappingResult['session']>['protocol']>

interface SideMapping {
  role: Role
  nat?: { portMapping?: PortMappingResult } | null
}

const LABEL: Record<Protocol, string> = { upnp: 'UPnP IGD', 'nat-pmp': 'NAT-PMP', pcp: 'PCP' }

/** The reason with the port-mapping note appended when a direct path used a side's mapping; else the reason as is. Pure. */
export function portMappingReason(verdict: Verdict, reason: string, sides: SideMapping[], predicted?: { verdict: string }): string {
  if (verdict !== 'direct') return reason
  const used = sides.filter((s) => s.nat?.portMapping?.session?.used === true && s.nat.portMapping.session.protocol)
  if (!used.length) return reason
  const which = used.map((s) => `a ${LABEL[s.nat!.portMapping!.session!.protocol!]} mapping on the ${s.role === 'host' ? 'host' : 'joiner'}'s side`).join(' and ')
  const without =
    predicted?.verdict === 'relayed' || predicted?.verdict === 'failed'
      ? `${predicted.verdict === 'relayed' ? 'relayed' : 'no connection'}, as the NAT types predicted`
      : predicted?.verdict === 'direct'
        ? 'probably direct too, as the NAT types predicted'
        : 'unknown'
  return `${reason}; thanks to ${which} (without ${used.length > 1 ? 'them' : 'it'}: ${without})`
}
