// Waits both ends of a session use, so the engine and the browser join page finish together.

/** Spacing of the pings each side sends once the data channel opens. */
export const PING_INTERVAL_MS = 20
/** After sending "done", how long a side waits for the other side's "done" (it may have quit). */
export const PEER_DONE_GRACE_MS = 3_000
