import { RTCSctpTransport } from 'werift'

/**
 * A small, opt-in runtime patch for werift 0.25's SCTP (data channel) send and acknowledgement
 * paths. Nothing changes until `installSctpThroughputPatch()` is called; it is idempotent and can be
 * undone with the function it returns (used by the benchmark to measure the reference).
 * See docs/throughput.md for the measurements behind each part.
 *
 * 1. Acknowledgements (receiver). werift 0.25 sends a SACK for every DATA packet (receiveDataChunk
 *    forces `sackImmediate`), so a bulk transfer costs one DTLS-encrypted UDP packet back for every
 *    packet forward: on loopback that is about half of all packets and a large share of the CPU.
 *    The patch follows RFC 9260 §6.2 instead: a SACK at least for every second packet with new
 *    DATA, at once on duplicates or gaps, and otherwise once the current batch of received packets
 *    has been handled (setImmediate, instead of werift's 200 ms delayed-ack timer).
 * 2. Send queue (sender). Every `dc.send()` starts another `dataChannelFlush()` loop, each of which
 *    hands one message to SCTP and waits on SCTP's `flush` event; with a large bufferedAmount there
 *    are thousands of waiters, and every transmit wakes (and unsubscribes, O(n) each) all of them:
 *    quadratic work, which is why a large send buffer made werift slower. The patch runs at most
 *    one flush loop per transport.
 *
 * 3. Receive window (optional). werift advertises a fixed 1 MiB window, which caps the data in
 *    flight at 1 MiB per round trip (21 MB/s at 50 ms). `receiveWindow` advertises another size.
 *    The default stays 1 MiB: on a starved event loop a larger window only queues more packets in
 *    the socket buffer, the round trip passes the 1 s minimum RTO, and werift then retransmits the
 *    whole window (measured: a 4 MiB window at MTU 1191 on a loaded machine fell to 1 MB/s).
 *
 * 4. Retransmission timeout. werift keeps RFC 9260's 1 s minimum RTO. On a shaped link a lost
 *    retransmission then stalls the association for a whole second and restarts it from one packet
 *    (a 3 s test at 10 Mbit/s read 6.8 instead of 9.7 Mbit/s). The patch uses a 200 ms minimum, as
 *    Linux TCP does (TCP_RTO_MIN), so a stall costs what it costs TCP on the same path.
 *
 * Wire format and reliability are unchanged; a patched peer interoperates with any SCTP stack.
 */

/** The parts of werift's internal SCTP association the patch touches (not in werift's public types). */
interface SctpInternals {
  isStopped: boolean
  sackNeeded: boolean
  sackImmediate: boolean
  sackHasNewDataInPacket: boolean
  sackMisOrdered: Set<number>
  sackTimeout?: NodeJS.Timeout
  advertisedRwnd: number
  peerAdvertisedRwnd: number
  rto: number
  srtt?: number
  rttvar?: number
  updateRto(r: number): void
  markReceived(tsn: number): boolean
  getInboundStream(streamId: number): { addChunk(chunk: DataChunkLike): void; popMessages(): Iterable<[number, number, Buffer]> }
  receive(streamId: number, ppId: number, data: Buffer): void
  receiveDataChunk(chunk: DataChunkLike): void
  scheduleSack(): Promise<void>
  sendSack(): Promise<void>
  [PATCHED]?: true
}

interface DataChunkLike {
  tsn: number
  streamId: number
  userData: Buffer
}

interface TransportInternals {
  sctp?: SctpInternals
  dataChannelFlush(): Promise<void>
  setDtlsTransport(dtls: unknown): void
  [FLUSHING]?: boolean
}

const PATCHED = Symbol('peerlens.sctpThroughputPatch')
const FLUSHING = Symbol('peerlens.flushing')

let installed: (() => void) | undefined

export interface SctpPatchOptions {
  /** Receive window advertised to the other side, in bytes (werift: 1 MiB). */
  receiveWindow?: number
}

/** Minimum retransmission timeout, seconds (werift: RFC 9260's 1 s; Linux TCP: 200 ms). */
export const RTO_MIN_S = 0.2
const RTO_MAX_S = 60

/** werift's own receive window. */
export const DEFAULT_RECEIVE_WINDOW = 1024 * 1024

/** Whether the patch is installed (new SCTP associations get it). */
export function sctpThroughputPatchInstalled(): boolean {
  return installed !== undefined
}

/**
 * Installs the patch on werift's RTCSctpTransport: every SCTP transport and association set up
 * afterwards (one per peer connection, when its data channel transport is created) gets the
 * patched behaviour, and keeps it. Returns a function that uninstalls the patch for transports
 * created later.
 */
export function installSctpThroughputPatch(options: SctpPatchOptions = {}): () => void {
  if (installed) return installed
  const receiveWindow = options.receiveWindow ?? DEFAULT_RECEIVE_WINDOW
  if (!Number.isInteger(receiveWindow) || receiveWindow < 64 * 1024 || receiveWindow > 2 ** 31) throw new RangeError('receiveWindow must be an integer from 64 KiB to 2 GiB')
  const proto = RTCSctpTransport.prototype as unknown as TransportInternals
  const originalSetDtls = proto.setDtlsTransport
  const originalFlush = proto.dataChannelFlush

  proto.setDtlsTransport = function (this: TransportInternals, dtls: unknown) {
    originalSetDtls.call(this, dtls)
    patchTransport(this, originalFlush)
    if (this.sctp) patchAssociation(this.sctp, receiveWindow)
  }

  installed = () => {
    proto.setDtlsTransport = originalSetDtls
    installed = undefined
  }
  return installed
}

/** Gives one transport the single flush loop (an own property: it stays when the patch is uninstalled). */
function patchTransport(transport: TransportInternals, originalFlush: TransportInternals['dataChannelFlush']): void {
  if (Object.prototype.hasOwnProperty.call(transport, 'dataChannelFlush')) return
  transport.dataChannelFlush = async function (this: TransportInternals) {
    // One loop drains the whole queue; calls made while it runs have nothing to add.
    if (this[FLUSHING]) return
    this[FLUSHING] = true
    try {
      await originalFlush.call(this)
    } finally {
      this[FLUSHING] = false
    }
  }
}

/** Patches one association (exported for tests). */
export function patchAssociation(sctp: SctpInternals, receiveWindow = DEFAULT_RECEIVE_WINDOW): void {
  if (sctp[PATCHED]) return
  sctp[PATCHED] = true
  // Set before the association starts: INIT / INIT-ACK carry it. The peer's window is learnt from its INIT.
  sctp.advertisedRwnd = receiveWindow
  sctp.peerAdvertisedRwnd = receiveWindow
  let batchSack: NodeJS.Immediate | undefined

  // RFC 6298 / 9260 smoothing, with the lower minimum (r and the result in seconds, as werift keeps them).
  sctp.updateRto = function (this: SctpInternals, r: number) {
    if (this.srtt === undefined || !this.srtt) {
      this.rttvar = r / 2
      this.srtt = r
    } else {
      this.rttvar = 0.75 * this.rttvar! + 0.25 * Math.abs(this.srtt - r)
      this.srtt = 0.875 * this.srtt + 0.125 * r
    }
    this.rto = Math.max(RTO_MIN_S, Math.min(this.srtt + 4 * this.rttvar!, RTO_MAX_S))
  }

  sctp.receiveDataChunk = function (this: SctpInternals, chunk: DataChunkLike) {
    this.sackNeeded = true
    if (this.markReceived(chunk.tsn)) {
      // A duplicate: the peer retransmitted, tell it at once.
      this.sackImmediate = true
      return
    }
    this.sackHasNewDataInPacket = true
    // A gap: report it at once (fast retransmit on the other side depends on it).
    if (this.sackMisOrdered.size > 0) this.sackImmediate = true
    const inbound = this.getInboundStream(chunk.streamId)
    inbound.addChunk(chunk)
    this.advertisedRwnd -= chunk.userData.length
    for (const message of inbound.popMessages()) {
      this.advertisedRwnd += message[2].length
      this.receive(...message)
    }
  }

  // handleData sets sackImmediate on every second packet with new data; anything left is
  // acknowledged once the packets already waiting in this turn of the event loop are handled.
  sctp.scheduleSack = async function (this: SctpInternals) {
    if (this.isStopped || !this.sackNeeded) return
    if (this.sackImmediate) {
      if (batchSack) {
        clearImmediate(batchSack)
        batchSack = undefined
      }
      await this.sendSack()
      return
    }
    if (batchSack) return
    batchSack = setImmediate(() => {
      batchSack = undefined
      if (this.isStopped) return
      this.sendSack().catch(() => {})
    })
  }
}
