import type { RTCPeerConnection } from 'werift'
import type { SelectedPair } from '../../shared/session'
import { localAddresses } from '../net/interfaces'
import { enlargeUdpBuffers } from './udpBuffers'
import { MAX_SCTP_MTU, setSctpMtu } from './sctpMtu'

/** Both ends on this machine: packets never leave it, so large SCTP packets are safe (docs/throughput.md). */
function sameMachine(local: string, remote: string): boolean {
  const own = new Set(localAddresses().map((a) => a.address))
  return own.has(local) && own.has(remote)
}

/**
 * Readies a connected peer connection for measuring: larger socket buffers keep a throughput burst
 * from overflowing them, and on loopback the SCTP packets may be large.
 */
export function tuneForMeasuring(pc: RTCPeerConnection, pair: SelectedPair | null): void {
  enlargeUdpBuffers(pc)
  if (pair && sameMachine(pair.local.address, pair.remote.address)) setSctpMtu(pc, MAX_SCTP_MTU)
}
