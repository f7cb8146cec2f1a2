import type { SignalChannel } from '../signaling/channel'
import type { NatResult } from '../../shared/nat'
import type { CandidateInfo, Role, SessionResult } from '../../shared/session'
import type { IceOptions } from './iceConfig'
import type { Exclusions } from './attempt'

/** What a PeerSession is told by whoever runs it (src/core/run/runSession.ts, tests, benchmarks). */
export interface SessionOptions {
  role: Role
  channel: SignalChannel
  ice: IceOptions
  /** A name for this side, shown to the other one. */
  name?: string
  /** Give up connecting after this long. */
  timeoutMs?: number
  /** Pings per path once a data channel opens. */
  probes?: number
  /** This side's half of the report, sent to the other side once measuring ends. */
  describeSide?: (result: SessionResult) => unknown | Promise<unknown>
  /** Discovers this side's NAT behaviour; its result is exchanged and feeds the prediction. */
  discoverNat?: () => Promise<NatResult | null>
  /** Local interfaces or addresses to leave out of the candidates (e.g. a VPN tunnel). */
  exclude?: Exclusions
  /** Run a relay-only second attempt beside the first when a TURN server is known (default true). */
  relayAttempt?: boolean
  /** UDP ports to test outside WebRTC once the session ends (the host names them; the joiner follows). */
  portTests?: number[]
  /** Most bytes the host's test sends each way per path (0: throughput not measured). Default 16 MiB. */
  throughputBytes?: number
  /** Why the measurement is off when throughputBytes is 0, as the report says it (default: the CLI flag). */
  throughputOff?: string
  /** --port-mapping: maps the ICE socket's port on the gateway and offers the mapped address. */
  mapCandidate?: (candidate: CandidateInfo) => Promise<string | null>
  /** The throughput window per direction, seconds (default 2): what arrived in it is the figure. */
  throughputSeconds?: number
  /** The time budget of the whole throughput measurement (both paths, both ways), seconds (default 8). */
  measureSeconds?: number
}
