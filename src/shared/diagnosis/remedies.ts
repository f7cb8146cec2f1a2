// What to do next: the change that would fix (or work around) what a finding found, with the
// measurement it rests on. Pure: findings.ts attaches one to each finding that has a remedy, and
// rankRemedies orders them for the report, the CLI's result and the dashboard.
import type { NatResult } from '../nat'
import type { Report, SideReport } from '../report'
import type { Endpoint, Role } from '../session'
import { endpointText } from '../format/candidates'
import { roleName } from '../format/sides'
import { MTU_FULL } from './mtu'

export type RemedyId = 'udp-blocked' | 'symmetric-nat' | 'no-hairpin' | 'double-nat' | 'vpn-interface' | 'port-unreachable' | 'port-held' | 'path-mtu'

export interface Remedy {
  id: RemedyId
  /** What to change, in one sentence; alternatives after "or". */
  action: string
  /** The measurement the remedy rests on, in words. */
  evidence: string
}

export interface RankedRemedy extends Remedy {
  /** 1 is the first thing to try. */
  rank: number
  level: 'bad' | 'warn' | 'info'
  /** The finding it answers. */
  finding: string
}

/** Which remedy to try first when findings are equally bad: the ones that most often turn a relay into a direct path. */
const PRIORITY: Record<RemedyId, number> = {
  'udp-blocked': 0,
  'no-hairpin': 1,
  'symmetric-nat': 2,
  'double-nat': 3,
  'vpn-interface': 4,
  'port-unreachable': 5,
  'port-held': 6,
  'path-mtu': 7
}
const LEVEL = { bad: 0, warn: 1, info: 2 } as const

/** Findings with a remedy, worst and most useful first, one per remedy and evidence. */
export function rankRemedies(found: ReadonlyArray<{ level: 'bad' | 'warn' | 'info'; text: string; remedy?: Remedy }>): RankedRemedy[] {
  const seen = new Set<string>()
  return found
    .map((f, i) => ({ f, i }))
    .filter((x): x is { f: typeof x.f & { remedy: Remedy }; i: number } => !!x.f.remedy)
    .sort((a, b) => LEVEL[a.f.level] - LEVEL[b.f.level] || PRIORITY[a.f.remedy.id] - PRIORITY[b.f.remedy.id] || a.i - b.i)
    .filter(({ f }) => {
      const key = `${f.remedy.id}\n${f.remedy.action}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .map(({ f }, i) => ({ rank: i + 1, level: f.level, finding: f.text, ...f.remedy }))
}

/** One line: "1. do this (because: evidence)". */
export function remedyText(r: Pick<RankedRemedy, 'rank' | 'action' | 'evidence'>): string {
  return `${r.rank}. ${r.action} (evidence: ${r.evidence})`
}

// ---- the remedies themselves ----

export function udpBlockedRemedy(nat: Pick<NatResult, 'reason'>): Remedy {
  return {
    id: 'udp-blocked',
    action: 'allow outbound UDP on this network (at least to the STUN/TURN servers and to UDP ports 1024-65535 of the peers), or offer a TURN server over TLS on port 443 (turns:HOST:443), which passes where only HTTPS does',
    evidence: nat.reason
  }
}

export function symmetricNatRemedy(nat: Pick<NatResult, 'mapping' | 'reason'>): Remedy {
  return {
    id: 'symmetric-nat',
    action:
      'make the NAT keep one public port per socket: a port-preserving ("static port") outbound NAT rule for this machine (pfSense/OPNsense: Firewall > NAT > Outbound, "Static Port"; Linux: SNAT without --random-fully), or enable UPnP IGD, NAT-PMP or PCP on the router so peers can map a port',
    evidence: `mapping ${nat.mapping}: ${nat.reason}`
  }
}

export function noHairpinRemedy(evidence: string): Remedy {
  return {
    id: 'no-hairpin',
    action: 'turn on NAT loopback (hairpin NAT, "NAT reflection") on the shared router, or route between the two segments (a rule letting the VLANs or the guest network reach each other) so host candidates connect',
    evidence
  }
}

export function doubleNatRemedy(evidence: string): Remedy {
  return {
    id: 'double-nat',
    action: 'ask the ISP for a public IPv4 address (port forwarding on the home router cannot help behind a carrier NAT), use IPv6 end to end, or run a TURN relay close to the users',
    evidence
  }
}

export function vpnRemedy(iface: string, evidence: string): Remedy {
  return {
    id: 'vpn-interface',
    action: `leave ${iface} out of the test (--exclude-interface ${iface}) or fix the route so traffic toward the peer leaves through the physical interface, not the tunnel`,
    evidence
  }
}

export function portRemedy(t: { port: number; reachable: boolean; reason: string; boundOn?: Role[] }): Remedy | undefined {
  if (t.reachable) return undefined
  if (t.boundOn?.length) {
    return {
      id: 'port-held',
      action: `free UDP port ${t.port} on the ${t.boundOn.map(roleName).join(' and the ')} (a running WireGuard holds it: see \`wg show\`), or test the port the tunnel really uses`,
      evidence: `UDP port ${t.port}: ${t.reason}`
    }
  }
  return {
    id: 'port-unreachable',
    action: `let UDP port ${t.port} in: a port forward (or firewall rule) on the router toward this machine, or UPnP/NAT-PMP for the WireGuard client; otherwise the mesh has to use its relay`,
    evidence: `UDP port ${t.port}: ${t.reason}`
  }
}

/** WireGuard's outer headers: 60 bytes over IPv4, 80 over IPv6 (the MTU to set leaves room for the larger). */
export const WIREGUARD_OVERHEAD = 80

export function mtuRemedy(pathMtu: { mtu: number | null; toward: Endpoint | null }): Remedy | undefined {
  const mtu = pathMtu.mtu
  if (!mtu || mtu >= MTU_FULL) return undefined
  const set = mtu - WIREGUARD_OVERHEAD
  return {
    id: 'path-mtu',
    action: `set the tunnel's MTU to ${set} or lower (WireGuard: MTU = ${set} in the [Interface] section; its default 1420 needs a 1500-byte path), or fix the link that shrinks the path`,
    evidence: `the path MTU toward ${endpointText(pathMtu.toward)} is ${mtu} bytes`
  }
}

// ---- NAT findings that only exist because they have a remedy ----

interface DoubleNat {
  detected: boolean | null
  reason: string
}

/** Two addresses share a subnet of one of the interfaces listed (IPv4 only). */
export function shareSubnet(a: string, b: string, interfaces: ReadonlyArray<{ addresses: ReadonlyArray<{ address: string; prefixLength: number | null }> }>): boolean {
  const ai = v4(a)
  const bi = v4(b)
  if (ai === null || bi === null) return false
  for (const i of interfaces) {
    for (const x of i.addresses) {
      const xi = v4(x.address)
      if (xi === null || x.prefixLength === null || x.prefixLength <= 0) continue
      const mask = x.prefixLength >= 32 ? 0xffffffff : (0xffffffff << (32 - x.prefixLength)) >>> 0
      if (((ai & mask) >>> 0) === ((xi & mask) >>> 0) && ((bi & mask) >>> 0) === ((xi & mask) >>> 0)) return true
    }
  }
  return false
}

function v4(address: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address)
  if (!m) return null
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return null
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

/** The NAT facts that call for a change: UDP blocked, a symmetric NAT on a path that did not go direct, no hairpin between two sides behind one router, double NAT. */
export function natFindings(report: Report, who: (side: SideReport) => string): Array<{ level: 'bad' | 'warn' | 'info'; text: string; remedy: Remedy }> {
  const out: Array<{ level: 'bad' | 'warn' | 'info'; text: string; remedy: Remedy }> = []
  const sides = report.sides.filter((s): s is SideReport => !s.missing)
  const notDirect = report.connection.verdict !== 'direct'
  for (const side of sides) {
    const nat = side.nat
    if (!nat) continue
    if (nat.classic === 'udp-blocked') out.push({ level: 'bad', text: `${who(side)}: UDP is blocked: only a TURN relay over TCP or TLS can carry the session.`, remedy: udpBlockedRemedy(nat) })
    if (notDirect && (nat.mapping === 'address-dependent' || nat.mapping === 'address-and-port-dependent')) {
      out.push({ level: 'warn', text: `${who(side)}: symmetric NAT: it gives every destination a new public port, so the other side cannot aim at it.`, remedy: symmetricNatRemedy(nat) })
    }
    const double = (nat as { doubleNat?: DoubleNat }).doubleNat
    if (double?.detected) out.push({ level: 'warn', text: `${who(side)}: ${double.reason}`, remedy: doubleNatRemedy(double.reason) })
  }
  const [a, b] = sides
  if (notDirect && a?.nat?.mapped && b?.nat?.mapped && a.nat.mapped.address === b.nat.mapped.address && a.nat.mapping !== 'none') {
    const local = [a.nat.local?.address, b.nat.local?.address]
    const shared = !!local[0] && !!local[1] && [a, b].some((s) => shareSubnet(local[0]!, local[1]!, s.system?.interfaces ?? []))
    const noLoop = [a, b].filter((s) => s.nat?.hairpin === false)
    if (!shared && noLoop.length) {
      const evidence = `both sides leave through ${a.nat.mapped.address}; the hairpin test of the ${noLoop.map((s) => roleName(s.role)).join(' and the ')} got nothing back from its own public address; host addresses ${local.map((l) => l ?? '?').join(' and ')} share no subnet`
      out.push({ level: 'bad', text: 'Both sides are behind the same router, which does not loop packets back to its own public address, on segments that cannot reach each other.', remedy: noHairpinRemedy(evidence) })
    }
  }
  return out
}
