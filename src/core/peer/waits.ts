// How long a peer session waits for what: the orchestrator's timings, in one place (docs/diagnosis.md
// explains the attempts they pace).

/** How long the host lets its NAT discovery run before offering anyway. */
export const NAT_WAIT_MS = 1_500
/** The joiner's wait for its own NAT result before its first attempt (it decides TURN over TCP). */
export const JOIN_NAT_WAIT_MS = 1_000
/**
 * With the relay path up first and a direct one still possible, how long after its start the first
 * attempt may still bring it (attemptRules.ts relayDecision): the relayed verdict's target is 1.5 s.
 */
export const DIRECT_WINDOW_MS = 1_000
/** The same once a direct pair passed its checks (its DTLS and data channel follow within a few round trips). */
export const DIRECT_CONNECTING_MS = 1_300
/** The same when the NAT prediction expects direct: a relayed verdict would then contradict it, so wait longer. */
export const DIRECT_EXPECTED_MS = 2_000
/** Once a path is chosen, how long the relay attempt may take to connect for its measurements. */
export const RELAY_MEASURE_WAIT_MS = 4_000
export const BYE_GRACE_MS = 1_000
/** The throughput test's byte limit per direction and path: a window ends early when the sender reaches it. */
export const DEFAULT_THROUGHPUT_BYTES = 16 * 1024 * 1024
/** However busy the other side keeps us with throughput tests, stop this long after the connect timeout. */
export const MEASURE_LIMIT_MS = 60_000
/** The longest the host waits for the joiner's own measuring to end before its throughput tests. */
export const PEER_SETTLE_MS = 3_000

/** Resolves once `done()` holds, looking every `stepMs`, or after `ms` at the latest. */
export async function pollUntil(done: () => boolean, ms: number, stepMs: number): Promise<void> {
  const deadline = performance.now() + ms
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, stepMs))
}
