import { PeerSession } from '../peer/session'
import type { SignalChannel } from '../signaling/channel'
import type { IceOptions } from '../peer/iceConfig'
import { describeSide, acceptPeerSide } from '../report/side'
import { buildReport } from '../report/build'
import type { Role, SessionResult } from '../../shared/session'
import type { Report } from '../../shared/report'
import type { RunEvent } from '../../shared/run'

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
}

/** Runs one side's session to its end and builds the report holding both sides. */
export async function runSession(o: SessionRunOptions): Promise<RunOutcome> {
  const session = new PeerSession({
    role: o.role,
    channel: o.channel,
    ice: o.ice,
    timeoutMs: o.timeoutMs,
    name: o.name,
    describeSide: (r) => describeSide(r, o.name)
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
