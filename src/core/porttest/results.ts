import type { CandidateInfo, Role } from '../../shared/session'
import type { UdpPortTest } from '../../shared/report'
import type { PortHalf } from '../../shared/protocol/portTest'
import { isMdnsName } from '../../shared/protocol/candidateLine'

// The port test's pure parts: where to send, and both sides' halves into the report's entry.

/** The other side's addresses worth sending to: every candidate's IPv4 address but relays and hidden (.local) ones. */
export function portTargets(remote: CandidateInfo[]): string[] {
  const out = new Set<string>()
  for (const c of remote) if (c.type !== 'relay' && !isMdnsName(c.address) && !c.address.includes(':')) out.add(c.address)
  return [...out].slice(0, 8)
}

/** Both halves into the report's entry: reachable means packets arrived in both directions. */
export function combinePort(host: PortHalf | undefined, join: PortHalf | undefined, port: number): UdpPortTest {
  const boundOn: Role[] = []
  if (host?.bound) boundOn.push('host')
  if (join?.bound) boundOn.push('join')
  const hostToJoin = { target: host?.targets[0] ?? null, sent: host?.sent ?? 0, received: join?.received ?? 0 }
  const joinToHost = { target: join?.targets[0] ?? null, sent: join?.sent ?? 0, received: host?.received ?? 0 }
  const reachable = hostToJoin.received > 0 && joinToHost.received > 0
  let reason: string
  if (!host || !join) reason = `the ${!host ? 'host' : 'joiner'} did not report its half of the test`
  else if (reachable) reason = `UDP port ${port} passes both ways (${joinToHost.received} and ${hostToJoin.received} packets arrived)`
  else {
    const parts: string[] = []
    if (boundOn.length) parts.push(`port ${port} is already in use on the ${boundOn.map((r) => (r === 'host' ? 'host' : 'joiner')).join(' and the ')} (another program holds it, such as a running WireGuard), so packets to it went to that program`)
    if (hostToJoin.received === 0) parts.push(`nothing from the host reached the joiner on ${port}`)
    if (joinToHost.received === 0) parts.push(`nothing from the joiner reached the host on ${port}`)
    reason = parts.join('; ')
  }
  return { port, reachable, hostToJoin, joinToHost, boundOn, reason }
}
