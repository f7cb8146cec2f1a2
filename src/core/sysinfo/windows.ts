// Parsers for PowerShell's NetTCPIP cmdlets piped to ConvertTo-Json. Pure: tests feed them output.
import type { Gateway, RouteFact, SystemInterface } from '../../shared/report'
import { isVpnLikeName } from '../net/interfaces'

function list<T>(json: string): T[] {
  const v = JSON.parse(json) as T | T[] | null
  return v === null ? [] : Array.isArray(v) ? v : [v]
}

/**
 * `Find-NetRoute -RemoteIPAddress X | Select-Object InterfaceAlias,IPAddress,NextHop | ConvertTo-Json`:
 * one object with the source address (IPAddress) and one with the route (NextHop).
 */
export function parseFindNetRoute(json: string, destination: string, command: string): RouteFact {
  const items = list<{ InterfaceAlias?: string; IPAddress?: string; NextHop?: string }>(json)
  const alias = items.find((i) => i.InterfaceAlias)?.InterfaceAlias ?? null
  if (!alias) return { destination, ok: false, command, error: 'no interface in the output' }
  const next = items.find((i) => i.NextHop)?.NextHop ?? null
  return {
    destination,
    ok: true,
    command,
    interface: alias,
    gateway: next && next !== '0.0.0.0' && next !== '::' ? next : null,
    source: items.find((i) => i.IPAddress)?.IPAddress ?? null,
    mtu: null,
    vpnLike: isVpnLikeName(alias)
  }
}

/** `Get-NetIPInterface | Select-Object InterfaceAlias,AddressFamily,NlMtu,ConnectionState | ConvertTo-Json`, merged with Node's addresses. */
export function parseNetIpInterface(json: string, addresses: SystemInterface[]): SystemInterface[] {
  const rows = list<{ InterfaceAlias?: string; NlMtu?: number; ConnectionState?: number | string }>(json)
  const byName = new Map(addresses.map((a) => [a.name, { ...a }]))
  for (const r of rows) {
    if (!r.InterfaceAlias) continue
    const entry = byName.get(r.InterfaceAlias) ?? { name: r.InterfaceAlias, up: null, mtu: null, internal: /loopback/i.test(r.InterfaceAlias), vpnLike: isVpnLikeName(r.InterfaceAlias), addresses: [] }
    if (typeof r.NlMtu === 'number' && (entry.mtu === null || r.NlMtu < entry.mtu)) entry.mtu = r.NlMtu
    // ConnectionState: 1 / "Connected", 0 / "Disconnected".
    if (r.ConnectionState !== undefined) entry.up = r.ConnectionState === 1 || r.ConnectionState === 'Connected' || entry.up === true
    byName.set(r.InterfaceAlias, entry)
  }
  return [...byName.values()]
}

/** `Get-NetRoute -DestinationPrefix 0.0.0.0/0,::/0 | Select-Object NextHop,InterfaceAlias,AddressFamily | ConvertTo-Json`. */
export function parseNetRouteDefault(json: string): Gateway[] {
  return list<{ NextHop?: string; InterfaceAlias?: string }>(json)
    .filter((r) => r.NextHop && r.NextHop !== '0.0.0.0' && r.NextHop !== '::')
    .map((r) => ({ address: r.NextHop!, interface: r.InterfaceAlias ?? null, family: r.NextHop!.includes(':') ? (6 as const) : (4 as const) }))
}
