import { arch, platform, release } from 'node:os'
import type { SessionResult } from '../../shared/session'
import type { Side, SideReport } from '../../shared/report'
import { APP_NAME, APP_VERSION } from '../version'
import { stripCredentials } from './credentials'
import { sideSchemaError } from './validate'
import { HALF_BOUNDS, parseBounded, valueBoundsProblem } from './bounds'
import { cleanLine, cleanStrings } from '../../shared/cleanText'

/** What a run adds to a side beyond its session result (each filled by its own issue). */
export type SideExtras = Partial<Pick<SideReport, 'nat' | 'nat6' | 'servers' | 'pathMtu' | 'system' | 'network' | 'clockOffsetMs' | 'clockOffsetErrorMs' | 'userAgent'>>

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

/**
 * Accepts the other side's half only when it has the shape of one; anything else is reported
 * missing, with why. The other side is not trusted: its half may arrive as the JSON text it was
 * sent as (parsed here within bounds) or already parsed; either way its size and nesting are
 * bounded, its strings cleaned of control characters (src/shared/cleanText.ts) and its numbers held to the
 * schema's ranges before anything else reads it. This never throws.
 */
export function acceptPeerSide(value: unknown, expectedRole: SideReport['role']): Side {
  const unreadable = (problem: string): Side => ({ role: expectedRole, missing: true, why: `the other side sent a report half this version cannot read (${problem})` })
  if (typeof value === 'string') {
    const parsed = parseBounded(value, HALF_BOUNDS)
    if (!parsed.ok) return unreadable(parsed.problem)
    value = parsed.value
  }
  if (!value || typeof value !== 'object') return { role: expectedRole, missing: true, why: 'the other side sent no report half (it quit early, or the data channel never opened)' }
  const problem = valueBoundsProblem(value, HALF_BOUNDS)
  if (problem) return unreadable(problem)
  const v = cleanStrings(value) as Partial<SideReport>
  if (v.role !== expectedRole) {
    const role = JSON.stringify(v.role)
    return { role: expectedRole, missing: true, why: `the other side sent a report half for role ${role === undefined ? 'undefined' : cleanLine(role).slice(0, 40)}, expected ${expectedRole}` }
  }
  const error = sideSchemaError(v)
  if (error) return unreadable(error)
  // The peer is not trusted to have left its credentials out.
  return stripCredentials(v as SideReport)
}
