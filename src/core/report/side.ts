import { arch, platform, release } from 'node:os'
import type { SessionResult } from '../../shared/session'
import type { Side, SideReport } from '../../shared/report'
import { APP_NAME, APP_VERSION } from '../../shared/version'

/** This side's half of the report, from its session result. */
export function describeSide(result: SessionResult, name: string = result.role): SideReport {
  return {
    role: result.role,
    name,
    app: { name: APP_NAME, version: APP_VERSION },
    os: { platform: platform(), release: release(), arch: arch() },
    startedAt: result.startedAt,
    verdict: result.verdict,
    reason: result.reason,
    selectedPair: result.selectedPair,
    rttMs: result.rttMs,
    connectedAfterMs: result.connectedAfterMs,
    candidates: { local: result.localCandidates, remote: result.remoteCandidates },
    pairs: result.pairs,
    events: result.events
  }
}

/** Accepts the other side's half only when it has the shape of one; anything else is reported missing. */
export function acceptPeerSide(value: unknown, expectedRole: SideReport['role']): Side {
  const v = value as Partial<SideReport> | undefined
  if (!v || typeof v !== 'object') return { role: expectedRole, missing: true, why: 'the other side sent no report half (it quit early, or the data channel never opened)' }
  if (v.role !== expectedRole || !Array.isArray(v.events) || typeof v.startedAt !== 'string' || !v.candidates) {
    return { role: expectedRole, missing: true, why: 'the other side sent a report half this version cannot read' }
  }
  return v as SideReport
}
