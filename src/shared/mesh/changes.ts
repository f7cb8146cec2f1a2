// The history of changes a reader of the matrix sees (the app's Mesh screen): between two readings of
// one group, every pair whose latest verdict changed, and every agent that joined or left. Pure.
import type { Matrix, MatrixPair } from './matrix'

export interface MatrixChange {
  /** When the change was seen: the pair's test time for a verdict change, else the reading's time. */
  at: string
  kind: 'verdict' | 'joined' | 'left'
  /** The pair ("a ↔ b") or the agent. */
  subject: string
  before: string | null
  after: string | null
  /** The new result's reason, for a verdict change. */
  reason: string
  text: string
}

/** The most changes the app keeps per group, newest first. */
export const MAX_CHANGES = 100

const key = (p: MatrixPair): string => `${p.a}\u0000${p.b}`

/** What changed from `before` to `after` (newest first within one reading), read at `readAt` (ISO). */
export function matrixChanges(before: Matrix | undefined, after: Matrix, readAt: string): MatrixChange[] {
  if (!before) return []
  const out: MatrixChange[] = []
  const old = new Map(before.pairs.map((p) => [key(p), p]))
  for (const p of after.pairs) {
    const was = old.get(key(p))
    // A pair new to the matrix (an agent joined) is told by the "joined" line; untested is no result.
    if (!was || was.verdict === p.verdict || p.verdict === 'untested') continue
    const subject = `${p.a} ↔ ${p.b}`
    out.push({
      at: p.at ?? readAt,
      kind: 'verdict',
      subject,
      before: was.verdict,
      after: p.verdict,
      reason: p.reason,
      text: `${subject}: ${was.verdict} → ${p.verdict}${p.reason ? ` (${p.reason})` : ''}`
    })
  }
  const had = new Set(before.peers)
  const has = new Set(after.peers)
  for (const name of after.peers) if (!had.has(name)) out.push({ at: readAt, kind: 'joined', subject: name, before: null, after: null, reason: '', text: `${name} joined the group` })
  for (const name of before.peers) if (!has.has(name)) out.push({ at: readAt, kind: 'left', subject: name, before: null, after: null, reason: '', text: `${name} left the group (or expired)` })
  return out.sort((x, y) => Date.parse(y.at) - Date.parse(x.at))
}

/** `history` with the changes of a new reading in front, at most MAX_CHANGES. */
export function withChanges(history: MatrixChange[], changes: MatrixChange[]): MatrixChange[] {
  return [...changes, ...history].slice(0, MAX_CHANGES)
}
