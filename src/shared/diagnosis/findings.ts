// What a troubleshooter should look at first, derived from the report alone (pure).
import type { Report, SideReport } from '../report'
import type { CandidateRef } from '../session'
import { endpointText } from '../format/candidates'
import { hostPort } from '../format/units'
import { limitFindings, overheadFindings } from './measureFindings'
import { roleName } from '../format/sides'
import { comparePrediction } from './prediction'
import { mtuLevel } from './mtu'
import { isMdnsName } from '../protocol/candidateLine'
import { mtuRemedy, natFindings, portRemedy, rankRemedies, vpnRemedy, type RankedRemedy, type Remedy } from './remedies'

export interface Finding {
  /** bad: explains a failure or a relay; warn: worth a look; info: context. */
  level: 'bad' | 'warn' | 'info'
  text: string
  /** What to change, when there is something to change (remedies.ts). */
  remedy?: Remedy
}

/** The prediction and the outcome, and whether they disagree (the case a troubleshooter needs most). */
export function predictionCheck(report: Report): { disagrees: boolean; text: string } | null {
  if (!report.prediction) return null
  const c = comparePrediction(report.prediction.verdict, report.connection.verdict)
  return c.agrees === null ? null : { disagrees: !c.agrees, text: c.text }
}

function present(report: Report): SideReport[] {
  return report.sides.filter((s): s is SideReport => !s.missing)
}

/** The interface name a side's address belongs to, when its system facts say. */
export function interfaceOf(side: SideReport, address: string): { name: string; vpnLike: boolean } | null {
  for (const i of side.system?.interfaces ?? []) if (i.addresses.some((a) => a.address === address)) return { name: i.name, vpnLike: i.vpnLike }
  return null
}

/** A local candidate's interface: named by the session itself (newer sides), else found in the system facts. */
export function candidateInterface(side: SideReport, c: { address: string; interface?: string; vpnLike?: boolean }): { name: string; vpnLike: boolean } | null {
  return c.interface ? { name: c.interface, vpnLike: !!c.vpnLike } : interfaceOf(side, c.address)
}

export function findings(report: Report): Finding[] {
  const out: Finding[] = []
  for (const side of report.sides) if (side.missing) out.push({ level: 'warn', text: `The ${roleName(side.role)}'s half of the report is missing: ${side.why}` })
  const check = predictionCheck(report)
  if (check?.disagrees) out.push({ level: 'bad', text: `Prediction and outcome disagree: ${check.text}.` })
  if (report.connection.verdict === 'failed') out.push({ level: 'bad', text: `No connection: ${report.connection.reason}` })
  const sides = present(report)
  const [a, b] = sides
  if (a && b && a.app.version !== b.app.version) out.push({ level: 'warn', text: `The two sides run different peerlens versions: ${a.app.version} (${roleName(a.role)}) and ${b.app.version} (${roleName(b.role)}).` })
  if (a && !b) {
    // The other half is missing, but its hello said which version it runs.
    const hello = a.events.find((e) => e.kind === 'peer-hello') as { version?: string } | undefined
    if (hello?.version && hello.version !== a.app.version) out.push({ level: 'warn', text: `The two sides run different peerlens versions: ${a.app.version} (${roleName(a.role)}) and ${hello.version} (the other side, from its hello).` })
  }
  for (const side of sides) {
    const who = `${roleName(side.role) === 'host' ? 'Host' : 'Joiner'} ${side.name}`
    for (const r of side.system?.routes ?? []) {
      if (r.ok && r.vpnLike) out.push({ level: 'bad', text: `${who}: the route toward ${r.destination} goes into ${r.interface}, a VPN-like interface: packets meant for the direct path enter the tunnel.`, remedy: vpnRemedy(r.interface ?? 'the tunnel', `${who}'s route toward ${r.destination} (${r.command}) names ${r.interface}`) })
    }
    const selected = side.selectedPair?.local
    if (selected) {
      const iface = candidateInterface(side, side.candidates.local.find((c) => sameRef(c, selected)) ?? selected)
      if (iface?.vpnLike) out.push({ level: 'bad', text: `${who}: the selected candidate ${hostPort(selected.address, selected.port)} is on ${iface.name}, a VPN-like interface: the "direct" path runs inside a tunnel.`, remedy: vpnRemedy(iface.name, `${who}'s selected candidate ${hostPort(selected.address, selected.port)} is an address of ${iface.name}`) })
    }
    out.push(...remoteCandidateFindings(who, side))
    const vpnCandidates = side.candidates.local.filter((c) => c.type === 'host' && candidateInterface(side, c)?.vpnLike && c.address !== selected?.address)
    for (const c of vpnCandidates) {
      const name = candidateInterface(side, c)!.name
      out.push({ level: 'info', text: `${who}: offered a candidate on ${name} (VPN-like), ${hostPort(c.address, c.port)}.`, remedy: vpnRemedy(name, `${who} offered ${hostPort(c.address, c.port)}, an address of ${name}`) })
    }
    for (const s of side.servers ?? []) {
      if (!s.reachable) out.push({ level: 'warn', text: `${who}: could not use ${s.url}: ${s.error?.reason ?? 'no answer'}.` })
    }
    const mtu = side.pathMtu?.mtu ? mtuLevel(side.pathMtu.mtu) : 'ok'
    if (side.pathMtu && mtu !== 'ok') {
      const remedy = mtuRemedy(side.pathMtu)
      out.push({ level: mtu, text: `${who}: the path MTU toward ${endpointText(side.pathMtu.toward)} is ${side.pathMtu.mtu} bytes${side.pathMtu.reason ? `: ${side.pathMtu.reason}` : ''}.`, ...(remedy ? { remedy } : {}) })
    }
    if (side.clockOffsetMs !== undefined && Math.abs(side.clockOffsetMs) >= 1000) {
      out.push({ level: 'info', text: `${who}: the clock is ${Math.abs(side.clockOffsetMs / 1000).toFixed(1)} s ${side.clockOffsetMs > 0 ? 'ahead' : 'behind'}; the timeline is corrected for it.` })
    }
  }
  out.push(...natFindings(report, (side) => `${roleName(side.role) === 'host' ? 'Host' : 'Joiner'} ${side.name}`))
  for (const t of report.portTests ?? []) {
    const remedy = portRemedy(t)
    if (!t.reachable) out.push({ level: 'warn', text: `UDP port ${t.port}: ${t.reason}`, ...(remedy ? { remedy } : {}) })
  }
  out.push(...limitFindings(report), ...overheadFindings(report))
  return out
}

/** The other side's candidates this side's stack refused, and the host addresses it hid behind mDNS names. */
function remoteCandidateFindings(who: string, side: SideReport): Finding[] {
  const out: Finding[] = []
  const remote = side.candidates.remote
  const refused = remote.filter((c) => c.refused && !isMdnsName(c.address))
  if (refused.length) {
    const reasons = [...new Set(refused.map((c) => c.refused))].join('; ')
    out.push({ level: 'bad', text: `${who}: refused ${refused.length} of the other side's ${remote.length} candidates (${refused.map((c) => hostPort(c.address, c.port)).join(', ')}): ${reasons}.` })
  }
  for (const c of remote.filter((x) => isMdnsName(x.address))) {
    const what = c.resolved ? `; it resolved to ${c.resolved}` : c.refused ? `, which did not resolve here (${c.refused.replace(/ \(.*\)$/, '')}): that host candidate was not paired` : ''
    out.push({ level: 'info', text: `${who}: the other side hid its host address behind an mDNS name, ${c.address}${what}.` })
  }
  return out
}

export function sameRef(a: CandidateRef, b: CandidateRef): boolean {
  return a.address === b.address && a.port === b.port && a.protocol === b.protocol
}

/** What to do next: the findings' remedies, ranked (the report's `remedies`, the CLI's result, the dashboard). */
export function remedies(report: Report): RankedRemedy[] {
  return rankRemedies(findings(report))
}
