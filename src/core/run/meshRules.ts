import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { Exclusions } from '../peer/attempt'
import type { SessionResult } from '../../shared/session'
import type { SessionNetwork } from '../../shared/report'
import { tunneledResult } from '../../shared/diagnosis/verdict'
import { vpnInterfaces } from '../../shared/vpn'
import { interfaceOf, localAddresses } from '../net/interfaces'
import { routeSource } from '../nat/local'
import { canonicalIp } from '../stun/address'

// The mesh rules of a run (docs/diagnosis.md, "On a mesh"): VPN-like interfaces are left out of ICE
// unless asked for, a path routed into a tunnel is called tunneled, and the report says which
// interface carried signaling.

/** The user's exclusions plus, unless `includeVpn`, every VPN-like interface of this machine. */
export function meshExclusions(user: Exclusions | undefined, includeVpn: boolean, addresses = localAddresses()): Exclusions {
  const vpn = includeVpn ? [] : vpnInterfaces(addresses)
  const interfaces = [...new Set([...(user?.interfaces ?? []), ...vpn])]
  return { ...(user?.addresses?.length ? { addresses: user.addresses } : {}), ...(interfaces.length ? { interfaces } : {}) }
}

/** The interface the kernel would send from toward `address` (nothing is sent), with whether it is VPN-like. */
export async function routeInterface(address: string, port = 9): Promise<{ name: string; vpnLike: boolean } | null> {
  const a = canonicalIp(address.replace(/^\[|\]$/g, ''))
  const family = isIP(a)
  if (family !== 4 && family !== 6) return null
  const source = await routeSource({ address: a, port }, family)
  if (!source) return null
  return interfaceOf(source) ?? (a === source ? interfaceOf(a) ?? null : null)
}

/** A direct verdict whose remote address the kernel routes into a VPN-like interface becomes tunneled. */
export async function honestVerdict(r: SessionResult): Promise<SessionResult> {
  if (r.verdict !== 'direct' || !r.selectedPair) return r
  const via = await routeInterface(r.selectedPair.remote.address, r.selectedPair.remote.port).catch(() => null)
  return via?.vpnLike ? tunneledResult(r, via.name) : r
}

/** Which interface the route toward the signaling server leaves by. `server`: a URL, or 'embedded'. */
export async function signalingRoute(server: string | undefined): Promise<SessionNetwork['signaling']> {
  if (!server) return undefined
  if (server === 'embedded') return { server, interface: null, vpnLike: false }
  let host: string
  try {
    host = new URL(server).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return undefined
  }
  const address = isIP(host) ? host : await lookup(host).then((r) => r.address).catch(() => undefined)
  const via = address ? await routeInterface(address).catch(() => null) : null
  return { server: host, interface: via?.name ?? null, vpnLike: via?.vpnLike ?? false }
}
