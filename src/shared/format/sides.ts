// The two sides and their NAT as words.
import type { NatClassic, NatResult } from '../nat'
import type { Side, SideReport } from '../report'
import type { Role } from '../session'

export function roleName(role: Role): string {
  return role === 'host' ? 'host' : 'joiner'
}

export function sideTitle(side: Side): string {
  return side.missing || side.name === side.role || !side.name ? roleName(side.role) : `${roleName(side.role)} (${side.name})`
}

export function osText(side: SideReport): string {
  return `${side.os.platform} ${side.os.release} ${side.os.arch}`.trim()
}

/** A NAT's classic type as a title ("Port-restricted cone NAT"). */
export const NAT_TITLES: Record<NatClassic, string> = {
  'open-internet': 'Open internet (no NAT)',
  'full-cone': 'Full cone NAT',
  'restricted-cone': 'Restricted cone NAT',
  'port-restricted-cone': 'Port-restricted cone NAT',
  symmetric: 'Symmetric NAT',
  'symmetric-udp-firewall': 'Symmetric UDP firewall',
  'udp-blocked': 'UDP blocked',
  unknown: 'Unknown'
}

/** A title for a classic type as the other side sent it: unknown names pass through. */
export function natTitle(classic: string): string {
  return Object.hasOwn(NAT_TITLES, classic) ? NAT_TITLES[classic as NatClassic] : classic
}

/** "port-restricted-cone (mapping endpoint-independent, filtering address-and-port-dependent)". */
export function natBehaviour(nat: { classic: string; mapping: string; filtering: string }): string {
  return `${nat.classic} (mapping ${nat.mapping}, filtering ${nat.filtering})`
}

/** A side's NAT in a report: measured, not measured (undefined) or no STUN answer (null). */
export function natText(nat: NatResult | null | undefined): string {
  if (nat === undefined) return 'not measured'
  if (nat === null) return 'no answer from the STUN server'
  return natBehaviour(nat)
}
