import { arch, platform, release } from 'node:os'
import type { SessionResult } from '../../shared/session'
import type { Side, SideReport } from '../../shared/report'
import { APP_NAME, APP_VERSION } from '../version'
import { stripCredentials } from './credentials'
import { sideSchemaError } from './validate'

/** What a run adds to a side beyond its session result (each filled by its own issue). */
export type SideExtras = Partial<Pick<SideReport, 'nat' | 'nat6' | 'servers' | 'pathMtu' | 'system' | 'clockOffsetMs' | 'clockOffsetErrorMs' | 'userAgent'>>

/** This side's half of the report, from its session result. */
export function describeSide(result: SessionResult, name: string = result.role, extras: SideExtras = {}): SideReport {
  const side: SideReport = {
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
  // Newer sessions measure their NAT themselves and put it in the result.
  if (extras.nat === undefined && result.nat !== undefined) side.nat = result.nat
  Object.assign(side, Object.fromEntries(Object.entries(extras).filter(([, value]) => value !== undefined)))
  return stripCredentials(side)
}

/** Accepts the other side's half only when it has the shape of one; anything else is reported missing. */
export function acceptPeerSide(value: unknown, expectedRole: SideReport['role']): Side {
  if (!value || typeof value !== 'object') return { role: expectedRole, missing: true, why: 'the other side sent no report half (it quit early, or the data channel never opened)' }
  const v = value as Partial<SideReport>
  if (v.role !== expectedRole) return { role: expectedRole, missing: true, why: `the other side sent a report half for role ${JSON.stringify(v.role)}, expected ${expectedRole}` }
  const error = sideSchemaError(value)
  if (error) return { role: expectedRole, missing: true, why: `the other side sent a report half this version cannot read (${error})` }
  // The peer is not trusted to have left its credentials out.
  return stripCredentials(value as SideReport)
}
