// What looks like a VPN tunnel: the one rule. An interface is VPN-like by its name (the names mesh
// VPNs give their tunnels) or by its addresses (the ranges Netbird, Tailscale and other meshes hand out).
// By default a session leaves such interfaces out of ICE, so it tests the underlay: the internet path
// the mesh itself would use (docs/diagnosis.md). `--include-vpn` puts them back.

/** Netbird wt, WireGuard wg, Tailscale tailscale and utun, ZeroTier zt, tun, tap, ppp (name prefixes), and a few more. */
const VPN_NAMES = /^(wg|wt|tun|utun|tap|tailscale|zt|nordlynx|ipsec|ppp|netbird)/i

export function isVpnLikeName(name: string): boolean {
  return VPN_NAMES.test(name)
}

/** 100.64.0.0/10 (CGNAT space, used by Netbird and Tailscale) and fd7a:115c:a1e0::/48 (Tailscale's IPv6). */
export function isVpnAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:(?=\d+\.)/, '')
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(a)
  if (v4) return Number(v4[1]) === 100 && Number(v4[2]) >= 64 && Number(v4[2]) <= 127
  return /^fd7a:115c:a1e0(:|$)/.test(a)
}

/** An interface is VPN-like by its name or by any of its addresses. */
export function isVpnLikeInterface(name: string, addresses: readonly string[] = []): boolean {
  return isVpnLikeName(name) || addresses.some(isVpnAddress)
}

/** The interfaces (name and addresses) to leave out of ICE by default: the VPN-like ones. */
export function vpnInterfaces(list: ReadonlyArray<{ name: string; address: string; internal?: boolean }>): string[] {
  const byName = new Map<string, string[]>()
  for (const a of list) if (!a.internal) byName.set(a.name, [...(byName.get(a.name) ?? []), a.address])
  return [...byName].filter(([name, addresses]) => isVpnLikeInterface(name, addresses)).map(([name]) => name)
}
