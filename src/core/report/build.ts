import type { SessionResult } from '../../shared/session'
import { REPORT_SCHEMA, type Report, type Side, type SideReport, type TimelineEntry } from '../../shared/report'
import { APP_NAME, APP_VERSION } from '../../shared/version'

/** The report both laptops agree on: sides in the order [host, join], one merged timeline. */
export function buildReport(own: SessionResult, ownSide: SideReport, peerSide: Side, now = new Date()): Report {
  const sides = (ownSide.role === 'host' ? [ownSide, peerSide] : [peerSide, ownSide]) as [Side, Side]
  return {
    schema: REPORT_SCHEMA,
    app: { name: APP_NAME, version: APP_VERSION },
    createdAt: now.toISOString(),
    writtenBy: own.role,
    sides,
    connection: {
      verdict: own.verdict,
      reason: own.reason,
      selectedPair: own.selectedPair,
      rttMs: own.rttMs,
      connectedAfterMs: own.connectedAfterMs
    },
    timeline: mergeTimeline(sides)
  }
}

/** Every event of both sides on one wall-clock axis, in time order. */
export function mergeTimeline(sides: Side[]): TimelineEntry[] {
  const entries: Array<TimelineEntry & { t: number }> = []
  for (const side of sides) {
    if (side.missing) continue
    const start = Date.parse(side.startedAt)
    for (const event of side.events) {
      const t = start + event.atMs
      entries.push({ t, at: new Date(t).toISOString(), role: side.role, event })
    }
  }
  return entries.sort((a, b) => a.t - b.t).map(({ t: _t, ...entry }) => entry)
}
