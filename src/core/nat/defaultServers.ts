/**
 * Public STUN servers that answer with OTHER-ADDRESS (RFC 5780), used when the user names none.
 * This is the list the Tor Snowflake project relies on for its own NAT behaviour checks; public
 * servers come and go, so all are asked at once and the first RFC 5780-capable answer wins.
 * Tests never use these: they always name the lab's server. docs/nat.md lists them too.
 */
export const DEFAULT_NAT_SERVERS: readonly string[] = [
  'stun:stun.hot-chilli.net:3478',
  'stun:stun.fitauto.ru:3478',
  'stun:stun.m-online.net:3478',
  'stun:stun.epygi.com:3478',
  'stun:stun.uls.co.za:3478',
  'stun:stun.voipgate.com:3478',
  'stun:stun.mixvoip.com:3478',
  'stun:stun.telnyx.com:3478'
]

/**
 * The public STUN servers a host or join session uses when given no --stun and not --offline:
 * the same RFC 5780 list, so the session gets a server-reflexive candidate on the internet and both
 * NAT behaviours (hence a prediction). PEERLENS_PUBLIC_STUN (comma-separated stun: URLs or HOST:PORT)
 * stands in for it: the NAT lab names its own server there, so tests never reach the internet.
 */
export function publicStunServers(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env.PEERLENS_PUBLIC_STUN?.trim()
  if (override) return override.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (s.startsWith('stun:') ? s : `stun:${s}`))
  return [...DEFAULT_NAT_SERVERS]
}
