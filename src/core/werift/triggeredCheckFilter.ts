import { CandidatePair, Connection } from 'werift'

// werift applies `iceFilterCandidatePair` only to the pairs it forms itself (tryPair). A check that
// arrives from the other side forms its pair in checkIncoming without asking the filter, runs a
// triggered check on it and, controlling with aggressive nomination, may nominate it: a relay pair
// the first attempt was told to leave alone then wins against the direct one (seen in the NAT lab
// under load: host 'none', joiner 'port-restricted' with a TURN server, relayed instead of direct).
// Patched: such a check is still answered (werift sends the response before checkIncoming), but the
// pair is neither added, checked nor nominated.

type Incoming = (this: Connection, message: unknown, addr: [string, number], protocol: { localCandidate?: unknown }) => void

interface Internals {
  options: { filterCandidatePair?: (pair: CandidatePair) => boolean }
  iceControlling: boolean
  remoteCandidates: Array<{ host: string; port: number }>
  findPair(protocol: unknown, remote: unknown): CandidatePair | undefined
  checkIncoming: Incoming
}

let installed = false

export function installTriggeredCheckFilter(): void {
  if (installed) return
  installed = true
  const proto = Connection.prototype as unknown as Internals
  const original = proto.checkIncoming
  proto.checkIncoming = function (this: Connection, message, addr, protocol) {
    const self = this as unknown as Internals
    const filter = self.options.filterCandidatePair
    if (filter && protocol.localCandidate) {
      const remote = self.remoteCandidates.find((c) => c.host === addr[0] && c.port === addr[1])
      if (remote && !self.findPair(protocol, remote)) {
        const Pair = CandidatePair as unknown as new (protocol: unknown, remote: unknown, controlling: boolean) => CandidatePair
        if (!filter(new Pair(protocol, remote, self.iceControlling))) return
      }
    }
    original.call(this, message, addr, protocol)
  }
}
