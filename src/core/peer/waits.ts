// How long a peer session waits for what: the orchestrator's timings, in one place (docs/diagnosis.md
// explains the attempts they pace).

/** How long the host lets its NAT discovery run before offering anyway. */
export const NAT_WAIT_MS = 1_500
/** The joiner's wait for its own NAT result before its first attempt (it decides TURN over TCP). */
export const JOIN_NAT_WAIT_MS = 1_000
/** With the relay path up first, how long the first attempt may still bring a direct one. */
export const DIRECT_GRACE_MS = 1_500
/** Once a path is chosen, how long the relay attempt may take to connect for its measurements. */
export const RELAY_MEASURE_WAIT_MS = 4_000
export const BYE_GRACE_MS = 1_000
/** The throughput test's byte limit per direction and path: a window ends early when the sender reaches it. */
export const DEFAULT_THROUGHPUT_BYTES = 16 * 1024 * 1024
/** However busy the other side keeps us with throughput tests, stop this long after the connect timeout. */
export const MEASURE_LIMIT_MS = 60_000
/** The longest the host waits for the joiner's own measuring to end before its throughput tests. */
export const PEER_SETTLE_MS = 3_000
