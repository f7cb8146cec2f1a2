// The two sides and their NAT as words.
import type { NatClassic, NatMethod, NatResult } from '../nat'
import type { PathMtu, RouteFact, Side, SideReport } from '../report'
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

/** A NAT card's title: the classic type's, except "No NAT" where only the filtering is unknown. */
export function natTitleOf(nat: { classic: string; mapping: string }): string {
  return nat.classic === 'unknown' && nat.mapping === 'none' ? 'No NAT (filtering unknown)' : natTitle(nat.classic)
}

type NatWords = { classic: string; mapping: string; filtering: string }

/**
 * A NAT result in words, the one wording every rendering uses (report text, Markdown, HTML, the CLI's
 * progress, the app): "no NAT, filtering unknown", "port-restricted-cone (mapping endpoint-independent,
 * filtering address-and-port-dependent)", "NAT type unknown (mapping unknown, filtering unknown)".
 * Accepts what another version sent: unknown names pass through.
 */
export function natBehaviour(nat: NatWords): string {
  if (nat.classic === 'udp-blocked') return 'UDP blocked'
  if (nat.mapping === 'none') {
    if (nat.filtering === 'endpoint-independent') return 'no NAT (open internet)'
    if (nat.filtering === 'unknown') return 'no NAT, filtering unknown'
    return `no NAT, behind a firewall (filtering ${nat.filtering})`
  }
  const name = nat.classic === 'unknown' ? 'NAT type unknown' : nat.classic
  return `${name} (mapping ${nat.mapping}, filtering ${nat.filtering})`
}

/** A short form for sentences: "no NAT", "a full-cone NAT", "a NAT of unknown type". */
export function natShort(nat: NatWords): string {
  if (nat.classic === 'udp-blocked') return 'UDP blocked'
  if (nat.mapping === 'none') {
    if (nat.filtering === 'endpoint-independent') return 'no NAT'
    if (nat.filtering === 'unknown') return 'no NAT (filtering unknown)'
    return 'no NAT but a firewall'
  }
  if (nat.classic === 'unknown') return nat.mapping === 'unknown' ? 'a NAT of unknown type' : `a NAT with ${nat.mapping} mapping (filtering unknown)`
  return `a ${nat.classic} NAT`
}

/** A side's NAT in a report: measured, not measured (undefined) or no STUN answer (null). */
export function natText(nat: NatResult | null | undefined): string {
  if (nat === undefined) return 'not measured'
  if (nat === null) return 'no answer from the STUN server'
  return natBehaviour(nat)
}

const METHODS: Record<NatMethod, string> = {
  rfc5780: 'RFC 5780 tests',
  'two-servers': 'mappings toward two servers compared',
  'local-address': 'the server saw our own address',
  none: 'no usable answer'
}

/** How the result was reached: "RFC 5780 tests, 7 requests sent" (tests skipped are not counted). */
export function natMethodText(nat: Pick<NatResult, 'method' | 'tests'>): string {
  const sent = nat.tests.filter((t) => t.result !== 'skipped').length
  const how = Object.hasOwn(METHODS, nat.method) ? METHODS[nat.method] : String(nat.method)
  return `${how}, ${sent} test${sent === 1 ? '' : 's'}`
}

/** "1500 or more (the largest size tried)", "1280", "unknown": a path MTU as every rendering says it (without its reason). */
export function pathMtuValue(p: Pick<PathMtu, 'mtu' | 'capped'>): string {
  if (p.mtu === null) return 'unknown'
  return p.capped ? `${p.mtu} or more (the largest size tried)` : String(p.mtu)
}

/**
 * The route a side's summary shows: the one toward the remote end of the pair it selected (the path
 * the session used), else the first route that answered (toward the first remote candidate). The
 * renderings always say which destination the route is toward.
 */
export function routeToPeer(side: Pick<SideReport, 'system' | 'selectedPair'>): RouteFact | undefined {
  const routes = (side.system?.routes ?? []).filter((r) => r.ok)
  const remote = side.selectedPair?.remote.address
  return routes.find((r) => r.destination === remote) ?? routes[0]
}

/** "wlp2s0 via 192.168.1.1 (VPN-like)". */
export function routeText(r: RouteFact): string {
  return `${r.interface ?? 'unknown interface'}${r.gateway ? ` via ${r.gateway}` : ''}${r.vpnLike ? ' (VPN-like)' : ''}`
}
