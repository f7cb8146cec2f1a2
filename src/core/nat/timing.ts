export interface NatTiming {
  /** Longest wait for any UDP answer from the server (the `timeoutMs` option). */
  firstAnswerMs: number
  /**
   * After the fresh socket's plain request is answered, how long its CHANGE-REQUEST tests (and the
   * hairpin probe) may stay silent before we call them filtered: at least this many ms...
   */
  quietFloorMs: number
  /** ...and at least this many smoothed round trips. */
  quietRtts: number
  /** Tests that should be answered (mapping II and III): how long before "no answer". */
  expectedAnswerMs: number
  /** With TCP connected and UDP silent: the earliest we call UDP blocked (ms from start). */
  udpBlockedFloorMs: number
  /** Start the TCP connect when UDP has been silent this long. */
  tcpProbeAfterMs: number
}

/**
 * The quiet window is the one number that trades speed against false "filtered" verdicts. 250 ms
 * holds on a loaded two-core machine: a reply delayed by scheduling comes within tens of ms of the
 * control reply that the same server sent at the same moment. Timeouts are also only concluded
 * after queued datagrams are read (see StunSocket.request).
 */
export const DEFAULT_NAT_TIMING: NatTiming = {
  firstAnswerMs: 2000,
  quietFloorMs: 250,
  quietRtts: 4,
  expectedAnswerMs: 600,
  udpBlockedFloorMs: 300,
  tcpProbeAfterMs: 100
}
