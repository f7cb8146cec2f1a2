// Has this machine's network changed? Its addresses (os.networkInterfaces) and its default routes
// (the IPv4 gateways in /proc/net/route on Linux), polled every few seconds and compared.
import { networkInterfaces } from 'node:os'
import { readFileSync } from 'node:fs'

export interface NetworkState {
  /** "eth0 192.0.2.7/24", sorted; loopback left out. */
  addresses: string[]
  /** "eth0 via 192.0.2.1", sorted. */
  gateways: string[]
}

type Interfaces = ReturnType<typeof networkInterfaces>

export function networkState(interfaces: Interfaces = networkInterfaces(), routeTable: string | null = readRouteTable()): NetworkState {
  const addresses: string[] = []
  for (const [name, list] of Object.entries(interfaces)) {
    for (const a of list ?? []) if (!a.internal) addresses.push(`${name} ${a.cidr ?? a.address}`)
  }
  return { addresses: addresses.sort(), gateways: routeTable ? defaultGateways(routeTable) : [] }
}

/** The IPv4 default routes of /proc/net/route (hex, little-endian addresses). Pure. */
export function defaultGateways(table: string): string[] {
  const out: string[] = []
  for (const line of table.split('\n').slice(1)) {
    const [iface, destination, gateway, , , , , mask] = line.trim().split(/\s+/)
    if (!iface || destination !== '00000000' || mask !== '00000000' || !gateway) continue
    const n = parseInt(gateway, 16)
    out.push(`${iface} via ${[n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.')}`)
  }
  return out.sort()
}

function readRouteTable(): string | null {
  if (process.platform !== 'linux') return null
  try {
    return readFileSync('/proc/net/route', 'utf8')
  } catch {
    return null
  }
}

/** What changed between two states, in words (empty: nothing). Pure. */
export function networkChanges(before: NetworkState, after: NetworkState): string[] {
  const diff = (a: string[], b: string[]): string[] => b.filter((x) => !a.includes(x))
  return [
    ...diff(before.addresses, after.addresses).map((a) => `address ${a} appeared`),
    ...diff(after.addresses, before.addresses).map((a) => `address ${a} went away`),
    ...diff(before.gateways, after.gateways).map((g) => `default route ${g} appeared`),
    ...diff(after.gateways, before.gateways).map((g) => `default route ${g} went away`)
  ]
}

/** Calls `onChange` with the changes whenever a poll finds the network changed; returns a stop function. */
export function watchNetwork(everyMs: number, onChange: (changes: string[]) => void, read: () => NetworkState = () => networkState()): () => void {
  let last = read()
  const timer = setInterval(() => {
    const now = read()
    const changes = networkChanges(last, now)
    last = now
    if (changes.length) onChange(changes)
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
