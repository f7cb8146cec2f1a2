// The small shared pieces of the report schema: addresses, roles, verdicts, ISO times, and the
// ranges every number is held to. A half comes from the other laptop, which is not trusted: every
// number has a finite range wide enough for any real session and narrow enough that the code
// reading it (dates, charts, sums) never meets 1e17 or 1e308.
import { def, enumOf, integer, number, object, string } from '../schema/builder'

/** ISO 8601 date and time with a zone, as Date#toISOString writes it; years 1970-2100, real months, hours, minutes, seconds (Date.parse of a match is never NaN). */
export const isoTime = () =>
  string({
    pattern:
      '^(19[7-9][0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'
  })

const DAY_MS = 86_400_000
/** 2100-01-01T00:00:00Z: Unix milliseconds past it are no real clock (before 1970 neither: a clockless board boots there). */
export const MAX_UNIX_MS = 4_102_444_800_000

/** Milliseconds since a session started, or a span inside one: a session never lasts a day. */
export const sessionMs = (description?: string) => number({ minimum: 0, maximum: DAY_MS, ...(description ? { description } : {}) })
/** A round trip or a jitter, ms: up to 1e6 (about 17 minutes, far past any timeout). */
export const rttMs = (description?: string) => number({ minimum: 0, maximum: 1e6, ...(description ? { description } : {}) })
/** Packets, requests, attempts, addresses: whole numbers up to 1e9. */
export const count = (description?: string) => integer({ minimum: 0, maximum: 1e9, ...(description ? { description } : {}) })
/** A wall-clock instant in Unix milliseconds, 1970-2100. */
export const unixMs = (description?: string) => number({ minimum: 0, maximum: MAX_UNIX_MS, ...(description ? { description } : {}) })
/** One clock minus another, ms: a clock may be wrong by years, never by more than the span of real clocks. */
export const clockOffsetMs = (description?: string) => number({ minimum: -MAX_UNIX_MS, maximum: MAX_UNIX_MS, ...(description ? { description } : {}) })
/** Seconds a NAT mapping or TURN allocation lives or was left idle: up to a year. */
export const seconds = (description?: string) => number({ minimum: 0, maximum: 31_536_000, ...(description ? { description } : {}) })
export const percent = () => number({ minimum: 0, maximum: 100 })
/** Bytes or bytes per second: up to 1e15. */
export const bytes = (description?: string) => number({ minimum: 0, maximum: 1e15, ...(description ? { description } : {}) })
/** An MTU in bytes (loopback is 65536; IPv6 jumbograms reach 2^32 - 1). */
export const mtu = (description?: string) => integer({ minimum: 0, maximum: 4_294_967_295, ...(description ? { description } : {}) })

export const port = () => integer({ minimum: 0, maximum: 65535 })

/**
 * What an address field may hold: IPv4, IPv6 (with an optional zone, IPv4-mapped too), an mDNS
 * name a browser hides a host address behind (`<uuid>.local`), or the join page's stand-in for an
 * address the browser keeps to itself (src/joinpage/stats.ts HIDDEN_ADDRESS). Nothing else: no
 * newlines, markup or links reach a rendering through an address.
 */
export const ADDRESS_PATTERN =
  '^(' +
  '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])' +
  '|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(:((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))?(%[A-Za-z0-9_.-]{1,32})?' +
  '|[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.local\\.?' +
  '|\\(hidden by the browser\\)' +
  ')$'

export const address = (description?: string) => string({ pattern: ADDRESS_PATTERN, ...(description ? { description } : {}) })

export const Endpoint = def('endpoint', object({ address: address(), port: port() }, { description: 'An IP address (v4 or v6) and a port.' }))

export const Role = def('role', enumOf(['host', 'join'], { description: 'Which side: the one that opened the room (host) or the one that joined it.' }))

export const Verdict = def(
  'verdict',
  enumOf(['direct', 'tunneled', 'relayed', 'failed'], {
    description:
      'How the two sides connected: directly, through a VPN tunnel (a pair on a VPN-like interface, or routed into one: not a direct internet path), through a TURN relay, or not at all.'
  })
)

/** The name and version of the peerlens that wrote something. */
export const appInfo = () => object({ name: string(), version: string() })

/** A verdict said before connecting, from the two NAT behaviours; "unknown" when they do not tell. */
export const predictedVerdict = () => enumOf(['direct', 'relayed', 'failed', 'unknown'])
