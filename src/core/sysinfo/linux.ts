// Parsers for iproute2's JSON output (`ip -j ...`). Pure: tests feed them recorded output.
import type { Gateway, RouteFact, SystemInterface } from '../../shared/report'
import { isVpnLikeName } from '../net/interfaces'

interface IpAddrJson {
  ifname?: string
  flags?: string[]
  mtu?: number
  operstate?: string
  link_type?: string
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }>
}

/** `ip -j addr show`. */
export function parseIpAddr(json: string): SystemInterface[] {
  const list = JSON.parse(json) as IpAddrJson[]
  return list
    .filter((i) => typeof i.ifname === 'string')
    .map((i) => {
      const flags = i.flags ?? []
      // operstate is UNKNOWN for loopback and many tunnels: fall back to the UP flag.
      const up = i.operstate === 'UP' ? true : i.operstate === 'DOWN' ? false : flags.includes('UP') && !flags.includes('NO-CARRIER')
      return {
        name: i.ifname!,
        up,
        mtu: typeof i.mtu === 'number' ? i.mtu : null,
        internal: i.link_type === 'loopback' || flags.includes('LOOPBACK'),
        vpnLike: isVpnLikeName(i.ifname!),
        addresses: (i.addr_info ?? [])
          .filter((a) => typeof a.local === 'string' && (a.family === 'inet' || a.family === 'inet6'))
          .map((a) => ({ address: a.local!, family: a.family === 'inet6' ? (6 as const) : (4 as const), prefixLength: typeof a.prefixlen === 'number' ? a.prefixlen : null }))
      }
    })
}

interface IpRouteJson {
  dst?: string
  gateway?: string
  dev?: string
  prefsrc?: string
  mtu?: number
  metrics?: Array<{ mtu?: number }>
}

/** `ip -j route get ADDR` (one entry) into a route fact. */
export function parseIpRouteGet(json: string, destination: string, command: string): RouteFact {
  const [r] = JSON.parse(json) as IpRouteJson[]
  if (!r) return { destination, ok: false, command, error: 'no route in the output' }
  const mtu = r.mtu ?? r.metrics?.find((m) => typeof m.mtu === 'number')?.mtu ?? null
  return {
    destination,
    ok: true,
    command,
    interface: r.dev ?? null,
    gateway: r.gateway ?? null,
    source: r.prefsrc ?? null,
    mtu,
    vpnLike: r.dev ? isVpnLikeName(r.dev) : false
  }
}

/** `ip -j route show default` (and `ip -6 -j ...`). */
export function parseIpDefaultRoutes(json: string, family: 4 | 6): Gateway[] {
  const list = JSON.parse(json) as IpRouteJson[]
  return list.filter((r) => r.gateway).map((r) => ({ address: r.gateway!, interface: r.dev ?? null, family }))
}
