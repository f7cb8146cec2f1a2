// Home's list of past sessions, and what "Run again with the same peer" can honestly offer. An
// invite serves one session: its room closes when the session ends, so a joiner cannot re-join the
// old invite, and a host that hosts again gets a new invite that must reach the other side again.
import type { HistoryEntry } from '../../../shared/ipc'
import { roleName, utc } from '../../../shared/format'

export interface HistoryRow {
  id: string
  when: string
  verdict: string
  tone: 'direct' | 'relayed' | 'failed'
  peer: string
  networks: string
  role: string
  again: AgainView
}

export type AgainView =
  | { kind: 'host'; label: string; note: string }
  | { kind: 'ask'; note: string }

const HOW: Record<string, string> = { embedded: 'on this machine', remote: 'through the signaling server', manual: 'with blobs, no server' }

export function againView(e: HistoryEntry): AgainView {
  if (e.role === 'host' && e.again) {
    return {
      kind: 'host',
      label: 'Host again',
      note: `Hosts again ${HOW[e.again.mode] ?? ''} and shows a new invite: send it to ${e.peer} again (an invite serves one session).`
    }
  }
  if (e.role === 'host') return { kind: 'ask', note: 'Host again from the Host card: this session did not say how it was hosted.' }
  const who = e.peer === 'the host' ? 'the host' : `${e.peer} (the host)`
  return { kind: 'ask', note: `To run again, ask ${who} for a new invite: the old one closed with its session.` }
}

export function historyRows(entries: HistoryEntry[]): HistoryRow[] {
  return entries.map((e) => ({
    id: e.id,
    when: utc(e.createdAt),
    verdict: e.verdict,
    tone: e.verdict === 'direct' || e.verdict === 'relayed' ? e.verdict : 'failed',
    peer: e.peer,
    networks: e.networks.join(', ') || 'not known',
    role: roleName(e.role),
    again: againView(e)
  }))
}

/** Two past sessions to compare: the older is "before". */
export function compareOrder(entries: HistoryEntry[], a: string, b: string): [string, string] {
  const at = (id: string): string => entries.find((e) => e.id === id)?.createdAt ?? ''
  return at(a) <= at(b) ? [a, b] : [b, a]
}

/** A compare slot's label: "host, 2026-11-25 09:00:06 UTC, with bob-laptop (relayed)". */
export function entryLabel(e: HistoryEntry): string {
  return `${utc(e.createdAt)}: ${e.verdict}, ${roleName(e.role)} with ${e.peer}`
}
