import { networkInterfaces } from 'node:os'

import type { InterfaceAddressInfo } from '../../shared/net'
import { isVpnLikeInterface, isVpnLikeName } from '../../shared/vpn'

export { isVpnLikeName }

export type InterfaceAddress = InterfaceAddressInfo

/** The machine's addresses, link-local IPv6 left out (a joiner cannot use them in a URL). VPN-like by name or address (src/shared/vpn.ts). */
export function localAddresses(): InterfaceAddress[] {
  const out: InterfaceAddress[] = []
  for (const [name, list] of Object.entries(networkInterfaces())) {
    const vpnLike = isVpnLikeInterface(name, (list ?? []).map((a) => a.address))
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')) continue
      out.push({ name, address: a.address, family: a.family === 'IPv6' ? 6 : 4, internal: a.internal, vpnLike })
    }
  }
  return out
}

/** The address to put in an invite when the server listens on every address: a LAN one, not a VPN or loopback. */
export function preferredAddress(addresses: InterfaceAddress[] = localAddresses()): string {
  const v4 = addresses.filter((a) => a.family === 4 && !a.internal)
  return (v4.find((a) => !a.vpnLike) ?? v4[0])?.address ?? '127.0.0.1'
}

export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address
}

/** The interface that holds a local address, and whether its name looks like a VPN tunnel. */
export function interfaceOf(address: string, addresses: InterfaceAddress[] = localAddresses()): { name: string; vpnLike: boolean } | undefined {
  const found = addresses.find((a) => a.address === address)
  return found ? { name: found.name, vpnLike: found.vpnLike } : undefined
}
