// One pair's test as an agent keeps it (history, published results, metrics): the verdict,
// prediction, NAT types, public addresses, RTT and findings, from the session's report. Pure.
import type { Report, SideReport } from '../report'
import { findings, type Finding } from '../diagnosis/findings'

/** The path kinds, in the order metrics list them. */
export const PATH_KINDS = ['direct', 'tunneled', 'relayed', 'failed'] as const

export type Trigger = 'start' | 'interval' | 'network' | 'peer' | 'retest'

export interface PairRecord {
  kind: 'pair'
  /** ISO time the test ended. */
  at: string
  self: string
  peer: string
  role: 'host' | 'join'
  verdict: string
  reason: string
  prediction: string | null
  rttMs: number | null
  /** The RFC 3489 NAT type of each side (null: not measured or no STUN answer). */
  nat: { self: string | null; peer: string | null }
  /** The public (mapped) address of each side, without the port. */
  publicAddress: { self: string | null; peer: string | null }
  /** Findings worth a look (bad and warn), at most MAX_FINDINGS. */
  findings: Finding[]
  trigger: Trigger
}

const MAX_FINDINGS = 10

function present(report: Report, role: 'host' | 'join'): SideReport | undefined {
  const side = report.sides.find((s) => s.role === role)
  return side && !side.missing ? side : undefined
}

export function pairRecord(report: Report, o: { self: string; peer: string; role: 'host' | 'join'; trigger: Trigger; at?: Date }): PairRecord {
  const mine = present(report, o.role)
  const theirs = present(report, o.role === 'host' ? 'join' : 'host')
  return {
    kind: 'pair',
    at: (o.at ?? new Date()).toISOString(),
    self: o.self,
    peer: o.peer,
    role: o.role,
    verdict: report.connection.verdict,
    reason: report.connection.reason,
    prediction: report.prediction?.verdict ?? null,
    rttMs: report.connection.rttMs,
    nat: { self: mine?.nat?.classic ?? null, peer: theirs?.nat?.classic ?? null },
    publicAddress: { self: mine?.nat?.mapped?.address ?? null, peer: theirs?.nat?.mapped?.address ?? null },
    findings: findings(report)
      .filter((f) => f.level !== 'info')
      .slice(0, MAX_FINDINGS),
    trigger: o.trigger
  }
}

/** What an agent publishes per peer in the group directory (the matrix reads it). */
export interface PublishedPair {
  verdict: string
  at: string
  rttMs: number | null
  reason: string
  nat?: { self: string | null; peer: string | null }
}

export function published(r: PairRecord): PublishedPair {
  return { verdict: r.verdict, at: r.at, rttMs: r.rttMs, reason: r.reason, nat: r.nat }
}
