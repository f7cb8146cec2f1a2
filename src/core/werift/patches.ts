import { installSctpThroughputPatch } from './sctpThroughput'
import { installTriggeredCheckFilter } from './triggeredCheckFilter'

/**
 * Installs peerlens's process-wide werift patches. Idempotent: the run layer calls it before every
 * session, and anything else that builds a PeerSession (tests, benchmarks) must call it too.
 * werift's SCTP acknowledges every packet and runs a send loop per message: patched once, for every
 * session (sctpThroughput.ts, docs/throughput.md). The wire format is unchanged. And a check from the
 * other side never brings in a pair the attempt's filter left out (triggeredCheckFilter.ts).
 */
export function installWeriftPatches(): void {
  installSctpThroughputPatch()
  installTriggeredCheckFilter()
}
