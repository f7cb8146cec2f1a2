// The summary the app copies for a ticket or a chat.
import type { NatResult } from '../../../shared/nat'
import { msMeasured as ms } from '../../../shared/format'
import type { LiveSession, NatSummary } from './liveSession'
import { natCardView } from './nat'
import { pathView, verdictView } from './verdict'

/** A few lines for a ticket or a chat: what happened and why. */
export function summaryText(s: LiveSession, natLocal: NatResult | NatSummary | undefined, natRemote: NatResult | NatSummary | undefined): string {
  const v = verdictView(s)
  const p = pathView(s.selected)
  const lines = [
    `peerlens: ${v.title}`,
    v.reason ? `Why: ${v.reason}` : '',
    v.prediction ? `${v.prediction.title}: ${v.prediction.reason}${v.prediction.disagrees ? ` (differs from the outcome: ${v.prediction.differs})` : ''}` : '',
    p.kind !== 'none' ? `Path: ${p.local} ↔ ${p.remote}${p.relay ? ` via relay ${p.relay}` : ''}` : '',
    `This side (${s.role}): ${natLocal ? `${natCardView(natLocal).title}, mapping ${natLocal.mapping}, filtering ${natLocal.filtering}` : 'NAT not measured'}`,
    `Other side: ${natRemote ? `${natCardView(natRemote).title}, mapping ${natRemote.mapping}, filtering ${natRemote.filtering}` : 'NAT not measured'}`,
    `Candidates: ${s.local.length} local, ${s.remote.length} remote; pairs: ${s.pairs.length}`,
    s.report?.connection.rttMs !== undefined && s.report?.connection.rttMs !== null ? `RTT: ${ms(s.report.connection.rttMs)}` : ''
  ]
  return lines.filter(Boolean).join('\n') + '\n'
}
