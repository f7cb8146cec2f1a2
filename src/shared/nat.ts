// NAT behaviour discovery (RFC 5780, with the RFC 3489 label beside it): the result shape the CLI,
// the report (`sides[].nat`, `sides[].nat6`) and the UI share. docs/nat.md is the prose version.

export interface NatEndpoint {
  address: string
  port: number
}

export type NatFamily = 4 | 6

/**
 * RFC 5780 section 4.3. "none": the mapped address is one of our own addresses (no NAT).
 * "unknown" always comes with a `reason`.
 */
export type NatMapping = 'none' | 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent' | 'unknown'

/** RFC 5780 section 4.4. */
export type NatFiltering = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent' | 'unknown'

/** The RFC 3489 vocabulary most tools (and most users) still speak. */
export type NatClassic =
  | 'open-internet'
  | 'full-cone'
  | 'restricted-cone'
  | 'port-restricted-cone'
  | 'symmetric'
  | 'symmetric-udp-firewall'
  | 'udp-blocked'
  | 'unknown'

/** How the verdict was reached. */
export type NatMethod = 'rfc5780' | 'two-servers' | 'none'

/** What the server's port told us when UDP stayed silent. */
export type NatServerReach = 'udp' | 'tcp-only' | 'tcp-refused' | 'unreachable' | 'not-tested'

export type NatTestName =
  | 'mapping-1'
  | 'mapping-2'
  | 'mapping-3'
  | 'mapping-server2'
  | 'filtering-1'
  | 'filtering-2'
  | 'filtering-3'
  | 'hairpin'
  | 'tcp-connect'

export interface NatTest {
  name: NatTestName
  /** Where the request went (for filtering-2 and -3: the primary address, with CHANGE-REQUEST). */
  target: NatEndpoint
  /** Set for filtering-2 (change IP and port) and filtering-3 (change port). */
  change?: { ip: boolean; port: boolean }
  result: 'reply' | 'timeout' | 'error' | 'skipped'
  /** XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) of the reply. */
  mapped: NatEndpoint | null
  /** Where the reply actually came from. */
  from: NatEndpoint | null
  /** Time to the reply, or how long we waited before giving up. */
  ms: number
  /** Requests sent (1 + retransmissions). */
  attempts: number
  /** STUN error response code, when the reply was an error (e.g. 420 for a refused CHANGE-REQUEST). */
  errorCode?: number
  /** OTHER-ADDRESS (or CHANGED-ADDRESS) in the reply. */
  otherAddress?: NatEndpoint
  /** Why the test errored or was skipped, an error response, or packets ignored while it ran. */
  detail?: string
}

export interface NatResult {
  family: NatFamily
  mapping: NatMapping
  filtering: NatFiltering
  classic: NatClassic
  /** One sentence saying why, in plain words. */
  reason: string
  method: NatMethod
  /** The address our traffic leaves from (the route's source address) and the mapping test socket's port. */
  local: NatEndpoint | null
  /** The server-reflexive address of the mapping test socket (test I). */
  mapped: NatEndpoint | null
  /** The STUN server used, as resolved. */
  server: NatEndpoint | null
  /** The server's OTHER-ADDRESS (RFC 5780), when it has one. */
  otherAddress: NatEndpoint | null
  /** Whether the NAT kept our local port for the mapping; null without a mapping. */
  portPreserved: boolean | null
  /** Whether a packet to our own mapped address came back to us; null when not tested. */
  hairpin: boolean | null
  serverReach: NatServerReach
  /** Whole discovery, milliseconds. */
  durationMs: number
  /** Smoothed round-trip time to the server, when any reply came. */
  rttMs: number | null
  tests: NatTest[]
  /** Mapping lifetime (RFC 5780 section 4.6), only when asked for: it takes as long as the longest wait. */
  lifetime?: NatLifetime | null
  /** Packets that arrived and were not used (hostile, malformed, stray), with why. */
  ignored: Array<{ from: NatEndpoint; reason: string }>
}

export interface NatLifetime {
  /** The longest idle time after which the mapping still took a packet from the server, seconds. */
  aliveS: number | null
  /** The shortest idle time after which it no longer did, seconds; null when it never expired. */
  expiredS: number | null
  /** One probe per idle time: a fresh mapping left idle, then asked for (null: could not be tested). */
  probes: Array<{ afterS: number; alive: boolean | null }>
  reason: string
}

/** Progress while discovery runs: shown by the CLI and the UI. */
export type NatProgress =
  | { kind: 'server'; server: NatEndpoint; host: string }
  | { kind: 'test-start'; name: NatTestName; target: NatEndpoint }
  | { kind: 'test-done'; test: NatTest }
