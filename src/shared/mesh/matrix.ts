// The mesh matrix: the latest verdict of every pair of a group, from what each agent published in
// the group directory. Pure: `peerlens matrix` prints it, the app can show it.
import type { PublishedPair } from './record'

export interface MatrixPair {
  a: string
  b: string
  /** direct, tunneled, relayed, failed, or untested. */
  verdict: string
  at: string | null
  rttMs: number | null
  reason: string
}

export interface Matrix {
  peers: string[]
  pairs: MatrixPair[]
}

/** What an agent publishes: its latest test of each peer. */
export interface PublishedResults {
  pairs: Record<string, PublishedPair>
}

function pairOf(results: unknown, peer: string): PublishedPair | undefined {
  const pairs = (results as { pairs?: unknown } | undefined)?.pairs
  if (!pairs || typeof pairs !== 'object' || Array.isArray(pairs) || !Object.hasOwn(pairs, peer)) return undefined
  const p = (pairs as Record<string, unknown>)[peer] as Partial<PublishedPair> | null
  if (!p || typeof p.verdict !== 'string' || typeof p.at !== 'string' || Number.isNaN(Date.parse(p.at))) return undefined
  return {
    verdict: p.verdict.slice(0, 32),
    at: p.at,
    rttMs: typeof p.rttMs === 'number' && Number.isFinite(p.rttMs) ? p.rttMs : null,
    reason: typeof p.reason === 'string' ? p.reason.slice(0, 300) : ''
  }
}

/** Every pair of the members, with the newer of the two sides' latest results (or untested). */
export function buildMatrix(members: Array<{ name: string; results?: unknown }>): Matrix {
  const peers = [...new Set(members.map((m) => m.name))].sort()
  const results = new Map(members.map((m) => [m.name, m.results]))
  const pairs: MatrixPair[] = []
  for (let i = 0; i < peers.length; i++) {
    for (let j = i + 1; j < peers.length; j++) {
      const a = peers[i]!
      const b = peers[j]!
      const seen = [pairOf(results.get(a), b), pairOf(results.get(b), a)].filter((p): p is PublishedPair => !!p)
      const latest = seen.sort((x, y) => Date.parse(y.at) - Date.parse(x.at))[0]
      pairs.push(latest ? { a, b, verdict: latest.verdict, at: latest.at, rttMs: latest.rttMs, reason: latest.reason } : { a, b, verdict: 'untested', at: null, rttMs: null, reason: 'not tested yet' })
    }
  }
  return { peers, pairs }
}

/** The matrix as text: a grid of verdicts, then one line per pair. */
export function renderMatrix(m: Matrix): string {
  if (m.peers.length === 0) return 'no agents in this group\n'
  const cell = (a: string, b: string): string => {
    if (a === b) return '-'
    const [x, y] = a < b ? [a, b] : [b, a]
    return m.pairs.find((p) => p.a === x && p.b === y)?.verdict ?? 'untested'
  }
  const width = Math.max(...m.peers.map((p) => p.length), ...m.pairs.map((p) => p.verdict.length), 1) + 2
  const pad = (s: string): string => s.padEnd(width)
  const lines = [pad('') + m.peers.map(pad).join('').trimEnd()]
  for (const a of m.peers) lines.push((pad(a) + m.peers.map((b) => pad(cell(a, b))).join('')).trimEnd())
  lines.push('')
  for (const p of m.pairs) {
    const rtt = p.rttMs !== null ? `, rtt ${p.rttMs} ms` : ''
    const at = p.at ? `, ${p.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}` : ''
    lines.push(`${p.a} ↔ ${p.b}: ${p.verdict}${rtt}${at}${p.reason ? `: ${p.reason}` : ''}`)
  }
  return lines.join('\n') + '\n'
}
