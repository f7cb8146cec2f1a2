import type { SessionNetwork } from '../report'

/**
 * One line for a side's network setup: which STUN servers it used and contacted, what it left out of
 * ICE, and the interface its signaling took. Null for reports written before these were recorded.
 */
export function networkText(n: SessionNetwork | undefined): string | null {
  if (!n) return null
  const parts: string[] = []
  if (n.stun) {
    const source = n.stun.source === 'given' ? 'given' : n.stun.source === 'default' ? 'default public list' : 'offline (no third party)'
    parts.push(`STUN ${source}: ${n.stun.servers.join(', ') || 'none'}`)
    if (n.stun.source === 'default') parts.push(`contacted ${n.stun.contacted.length} public server${n.stun.contacted.length === 1 ? '' : 's'}`)
    if (n.stun.note) parts.push(n.stun.note)
  }
  parts.push(n.includeVpn ? 'VPN interfaces included (--include-vpn)' : n.excludedInterfaces.length ? `left out of ICE: ${n.excludedInterfaces.join(', ')}` : 'no interface left out')
  if (n.signaling) parts.push(`signaling via ${n.signaling.interface ?? 'unknown interface'}${n.signaling.vpnLike ? ' (VPN-like)' : ''}`)
  return parts.join('; ')
}
