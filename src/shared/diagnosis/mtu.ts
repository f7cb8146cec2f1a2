// How a measured path MTU reads: the thresholds the report's findings and the app's Checks card share.

/** Ethernet's MTU: a path that carries it needs no fragmentation thought at all. */
export const MTU_FULL = 1500
/** The smallest MTU IPv6 allows: below it, tunnels (WireGuard's default 1420 fits above) break. */
export const MTU_MIN = 1280

/** ok: full size; warn: smaller (a tunnel or PPPoE on the way), still usable; bad: below the IPv6 minimum. */
export function mtuLevel(mtu: number): 'ok' | 'warn' | 'bad' {
  if (mtu < MTU_MIN) return 'bad'
  return mtu < MTU_FULL ? 'warn' : 'ok'
}
