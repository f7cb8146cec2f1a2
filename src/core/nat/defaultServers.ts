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
