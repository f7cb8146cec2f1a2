import type { SessionResult } from '../../shared/session'
import { REPORT_SCHEMA, type Report, type Side, type SideReport, type TimelineEntry } from '../../shared/report'
import { APP_NAME, APP_VERSION } from '../version'
import { stripCredentials } from './credentials'
import { MAX_UNIX_MS } from '../../shared/reportSchema/common'
import { remedies } from '../../shared/diagnosis/findings'
import { cleanLine } from '../../shared/cleanText'
import { portMappingReason } from '../../shared/diagnosis/portMapping'

const isOffset = (ms: number | undefined): ms is number => ms !== undefined && Math.abs(ms) <= MAX_UNIX_MS
const isRtt = (ms: number | undefined): ms is number => ms !== undefined && ms >= 0 && ms <= 1e6

/** What a run adds to the report beyond the two sides (each filled by its own issue). */
export type ReportExtras = Partial<Pick<Report, 'room' | 'prediction' | 'paths' | 'portTests'>> & {
  attempts?: Report['connection']['attempts']
}

/** The report both laptops agree on: sides in the order [host, join], one merged timeline. */
export function buildReport(own: SessionResult, ownSide: SideReport, peerSide: Side, now = new Date(), extras: ReportExtras = {}): Report {
  // The session measured the other side's clock offset; its half does not say it.
  // The offset comes from the peer's own clock readings: only a finite one within the clocks' range is used.
  if (!peerSide.missing && peerSide.clockOffsetMs === undefined && isOffset(own.peerClockOffsetMs)) {
    peerSide = { ...peerSide, clockOffsetMs: own.peerClockOffsetMs, ...(isRtt(own.peerClockOffsetErrorMs) ? { clockOffsetErrorMs: own.peerClockOffsetErrorMs } : {}) }
  }
  const sides: [Side, Side] = ownSide.role === 'host' ? [ownSide, peerSide] : [peerSide, ownSide]
  const { attempts = own.attempts, ...given } = extras
  const rest = { ...given, prediction: given.prediction ?? own.prediction, paths: given.paths ?? own.paths }
  const report: Report = {
    schema: REPORT_SCHEMA,
    app: { name: APP_NAME, version: APP_VERSION },
    createdAt: now.toISOString(),
    writtenBy: own.role,
    ...(rest.room !== undefined ? { room: rest.room } : {}),
    sides,
    connection: {
      verdict: own.verdict,
      // A direct path through a port mapping says so (what it would have been without is the prediction).
      reason: portMappingReason(own.verdict, own.reason, sides, rest.prediction),
      selectedPair: own.selectedPair,
      rttMs: own.rttMs,
      connectedAfterMs: own.connectedAfterMs,
      ...(own.verdictAfterMs !== undefined ? { verdictAfterMs: own.verdictAfterMs } : {}),
      ...(own.measuredAfterMs !== undefined ? { measuredAfterMs: own.measuredAfterMs } : {}),
      ...(attempts ? { attempts } : {})
    },
    ...(rest.prediction ? { prediction: rest.prediction } : {}),
    ...(rest.paths ? { paths: rest.paths } : {}),
    ...(rest.portTests ? { portTests: rest.portTests } : {}),
    timeline: mergeTimeline(sides)
  }
  // What to do next, for readers of the JSON alone (renderers derive it again from the rest).
  const next = remedies(report)
  if (next.length) report.remedies = next.map((r) => ({ ...r, finding: cleanLine(r.finding), action: cleanLine(r.action), evidence: cleanLine(r.evidence) }))
  return stripCredentials(report)
}

/**
 * Every event of both sides on one wall-clock axis (the writer's clock), in time order. A side's
 * `clockOffsetMs` (its clock minus the writer's) is subtracted; on equal times the host goes first
 * and each side keeps its own order. An event whose instant falls outside 1970-2100 (a wild clock
 * offset) stays in its side but is left out of the timeline.
 */
export function mergeTimeline(sides: Side[]): TimelineEntry[] {
  const entries: Array<TimelineEntry & { n: number }> = []
  let n = 0
  for (const side of sides) {
    if (side.missing) continue
    const start = Date.parse(side.startedAt) - (side.clockOffsetMs ?? 0)
    for (const event of side.events) {
      // A half that bypassed acceptPeerSide, or a wild clock offset, must not make toISOString throw.
      const unixMs = Math.round(start + event.atMs)
      if (!(unixMs >= 0 && unixMs <= MAX_UNIX_MS)) continue
      entries.push({ at: new Date(unixMs).toISOString(), unixMs, role: side.role, event, n: n++ })
    }
  }
  return entries.sort((a, b) => a.unixMs - b.unixMs || a.n - b.n).map(({ n: _n, ...entry }) => entry)
}
