import { PeerSession } from '../peer/session'
import type { SignalChannel } from '../signaling/channel'
import type { IceOptions } from '../peer/iceConfig'
import { describeSide, acceptPeerSide } from '../report/side'
import { buildReport } from '../report/build'
import type { Role, SessionResult } from '../../shared/session'
import type { Report } from '../../shared/report'
import type { RunEvent } from '../../shared/run'
import type { NatResult } from '../../shared/nat'
import type { Exclusions } from '../peer/attempt'
import { discoverNat } from '../nat/discover'

export interface RunOutcome {
  result: SessionResult
  report: Report
}

export type Emit = (event: RunEvent) => void

export interface SessionRunOptions {
  role: Role
  channel: SignalChannel
  ice: IceOptions
  timeoutMs: number
  name: string
  emit: Emit
  signal?: AbortSignal
  /** Discover this side's NAT behaviour toward the session's STUN server(s) (default true). */
  nat?: boolean
  exclude?: Exclusions
}

/** NAT discovery toward the session's own STUN servers: the first, and the second for the two-server fallback. */
export function natDiscovery(ice: IceOptions): () => Promise<NatResult | null> {
  return () => discoverNat({ stun: ice.stun[0]!, ...(ice.stun[1] ? { stun2: ice.stun[1] } : {}), timeoutMs: 1_500 })
}

/** Runs one side's session to its end and builds the report holding both sides. */
export async function runSession(o: SessionRunOptions): Promise<RunOutcome> {
  const session = new PeerSession({
    role: o.role,
    channel: o.channel,
    ice: o.ice,
    timeoutMs: o.timeoutMs,
    name: o.name,
    describeSide: (r) => describeSide(r, o.name),
    ...(o.nat !== false && o.ice.stun.length ? { discoverNat: natDiscovery(o.ice) } : {}),
    ...(o.exclude ? { exclude: o.exclude } : {})
  })
  const unlisten = session.on(o.emit)
  const abort = (): void => void session.close('interrupted')
  o.signal?.addEventListener('abort', abort)
  try {
    const result = await session.run()
    // Events from closing down come after the result: nobody listens to them.
    unlisten()
    const report = buildReport(result, describeSide(result, o.name), acceptPeerSide(session.peerSide, o.role === 'host' ? 'join' : 'host'))
    return { result, report }
  } finally {
    unlisten()
    o.signal?.removeEventListener('abort', abort)
    await session.close()
  }
}

/** Milliseconds since `t0`, for events emitted outside a session. */
export function since(t0: number): number {
  return Math.round(performance.now() - t0)
}
