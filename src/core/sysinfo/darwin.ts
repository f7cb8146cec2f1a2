// Parsers for macOS (BSD) `route -n get` and `ifconfig`. Pure: tests feed them recorded output.
import type { Gateway, RouteFact, SystemInterface } from '../../shared/report'
import { isVpnLikeName } from '../net/interfaces'

/** `route -n get ADDR`: "   gateway: 192.168.1.1" / "  interface: en0" / mtu in the metrics table. */
export function parseRouteGet(text: string, destination: string, command: string): RouteFact {
  const field = (name: string): string | null => new RegExp(`^\\s*${name}:\\s*(\\S+)`, 'm').exec(text)?.[1] ?? null
  const iface = field('interface')
  if (!iface) return { destination, ok: false, command, error: 'no interface in the output' }
  // The last two lines are a header ("recvpipe sendpipe ... mtu expire") and its values.
  const lines = text.trim().split('\n')
  const header = lines.findIndex((l) => /\bmtu\b/.test(l) && /\brecvpipe\b/.test(l))
  let mtu: number | null = null
  if (header >= 0 && lines[header + 1]) {
    const col = lines[header]!.trim().split(/\s+/).indexOf('mtu')
    const value = Number(lines[header + 1]!.trim().split(/\s+/)[col])
    if (Number.isFinite(value) && value > 0) mtu = value
  }
  return { destination, ok: true, command, interface: iface, gateway: field('gateway'), source: null, mtu, vpnLike: isVpnLikeName(iface) }
}

export function parseRouteDefault(text: string, family: 4 | 6): Gateway[] {
  const gateway = /^\s*gateway:\s*(\S+)/m.exec(text)?.[1]
  const iface = /^\s*interface:\s*(\S+)/m.exec(text)?.[1] ?? null
  return gateway ? [{ address: gateway.replace(/%.*$/, ''), interface: iface, family }] : []
}

/** `ifconfig -a`: blocks that start with "name: flags=8863<UP,...> mtu 1500". */
export function parseIfconfig(text: string): SystemInterface[] {
  const out: SystemInterface[] = []
  let current: SystemInterface | undefined
  for (const line of text.split('\n')) {
    const head = /^([A-Za-z0-9_.-]+):\s+flags=\w+<([^>]*)>(?:.*\bmtu\s+(\d+))?/.exec(line)
    if (head) {
      const flags = head[2]!.split(',')
      current = { name: head[1]!, up: flags.includes('UP') && (flags.includes('RUNNING') || flags.includes('LOOPBACK')), mtu: head[3] ? Number(head[3]) : null, internal: flags.includes('LOOPBACK'), vpnLike: isVpnLikeName(head[1]!), addresses: [] }
      out.push(current)
      continue
    }
    if (!current) continue
    const v4 = /^\s+inet\s+(\d+\.\d+\.\d+\.\d+)(?:.*netmask\s+0x([0-9a-f]{8}))?/.exec(line)
    if (v4) {
      const prefix = v4[2] ? (parseInt(v4[2], 16) >>> 0).toString(2).replace(/0+$/, '').length : null
      current.addresses.push({ address: v4[1]!, family: 4, prefixLength: prefix })
      continue
    }
    const v6 = /^\s+inet6\s+([0-9a-fA-F:]+)(?:%\S+)?(?:\s+prefixlen\s+(\d+))?/.exec(line)
    if (v6) current.addresses.push({ address: v6[1]!, family: 6, prefixLength: v6[2] ? Number(v6[2]) : null })
  }
  return out
}
