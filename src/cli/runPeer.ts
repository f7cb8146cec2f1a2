import { writeFile, rename } from 'node:fs/promises'
import { PeerSession } from '../core/peer/session'
import type { SignalChannel } from '../core/signaling/channel'
import type { IceOptions } from '../core/peer/iceConfig'
import { describeSide, acceptPeerSide } from '../core/report/side'
import { buildReport } from '../core/report/build'
import type { Role } from '../shared/session'
import { EXIT } from './errors'
import type { Printer } from './printer'
import type { Io } from './io'
import { pairText } from './format'

export interface RunPeerOptions {
  role: Role
  channel: SignalChannel
  ice: IceOptions
  timeoutMs: number
  printer: Printer
  io: Io
  reportFile?: string
  name?: string
}

/** Runs one side's session to its end, prints the result, writes the report; returns the exit code. */
export async function runPeer(o: RunPeerOptions): Promise<number> {
  const name = o.name ?? o.role
  const session = new PeerSession({
    role: o.role,
    channel: o.channel,
    ice: o.ice,
    timeoutMs: o.timeoutMs,
    name,
    describeSide: (r) => describeSide(r, name)
  })
  const unlisten = session.on((e) => o.printer.session(e))
  const stop = (): void => void session.close('interrupted')
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  let code: number = EXIT.ok
  try {
    const result = await session.run()
    // The result line must be the last one: events from closing down are not printed.
    unlisten()
    const report = buildReport(result, describeSide(result, name), acceptPeerSide(session.peerSide, o.role === 'host' ? 'join' : 'host'))
    if (o.reportFile) {
      try {
        const tmp = `${o.reportFile}.${process.pid}.tmp`
        await writeFile(tmp, JSON.stringify(report, null, 2) + '\n')
        await rename(tmp, o.reportFile)
        o.printer.progress('report', { file: o.reportFile }, `report written to ${o.reportFile}`)
      } catch (err) {
        o.io.stderr(`peerlens: cannot write report ${o.reportFile}: ${(err as Error).message}\n`)
        code = EXIT.usage
      }
    }
    const c = report.connection
    const human =
      c.verdict === 'failed'
        ? `result: failed: ${c.reason}`
        : `result: ${c.verdict}: ${c.selectedPair ? pairText(c.selectedPair) : ''}${c.rttMs !== null ? `, rtt ${c.rttMs} ms` : ''}`
    o.printer.main('result', { role: o.role, verdict: c.verdict, reason: c.reason, selectedPair: c.selectedPair, rttMs: c.rttMs, connectedAfterMs: c.connectedAfterMs }, human)
    if (c.verdict === 'failed') {
      if (o.printer.json) o.io.stderr(`peerlens: no connection: ${c.reason}\n`)
      if (code === EXIT.ok) code = EXIT.noConnection
    }
    return code
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await session.close()
  }
}
