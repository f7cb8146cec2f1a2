// The Mesh screen's view model: the matrix as a grid of cells coloured by verdict, a pair's detail,
// the form's one-line problems, and the changes list. Pure; the rules live in src/shared/mesh.
import type { Matrix, MatrixPair } from '../../../shared/mesh/matrix'
import { GROUP_NAME } from '../../../shared/mesh/names'

export type MeshTone = 'direct' | 'relayed' | 'tunneled' | 'failed' | 'pending'

export interface MeshCell {
  /** The row's and the column's agent. */
  row: string
  col: string
  /** The pair (a < b), or undefined on the diagonal. */
  pair: MatrixPair | undefined
  label: string
  tone: MeshTone
  /** What a screen reader and a tooltip say. */
  title: string
}

export function meshTone(verdict: string): MeshTone {
  return verdict === 'direct' || verdict === 'relayed' || verdict === 'tunneled' || verdict === 'failed' ? verdict : 'pending'
}

export function pairOf(m: Matrix, a: string, b: string): MatrixPair | undefined {
  const [x, y] = a < b ? [a, b] : [b, a]
  return m.pairs.find((p) => p.a === x && p.b === y)
}

/** When, in words the screen shows: "2026-11-30 11:24:30Z". */
export function atText(at: string | null): string {
  return at ? at.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'never'
}

export function pairTitle(p: MatrixPair): string {
  const rtt = p.rttMs !== null ? `, rtt ${p.rttMs} ms` : ''
  return `${p.a} ↔ ${p.b}: ${p.verdict}${rtt}${p.at ? `, tested ${atText(p.at)}` : ''}`
}

/** One row per agent, one cell per agent: the same grid as `peerlens matrix`. */
export function meshGrid(m: Matrix): MeshCell[][] {
  return m.peers.map((row) =>
    m.peers.map((col) => {
      if (row === col) return { row, col, pair: undefined, label: '–', tone: 'pending' as const, title: `${row} itself` }
      const pair = pairOf(m, row, col)
      const verdict = pair?.verdict ?? 'untested'
      return { row, col, pair, label: verdict, tone: meshTone(verdict), title: pair ? pairTitle(pair) : `${row} ↔ ${col}: untested` }
    })
  )
}

/** "3 agents, 3 pairs: 2 direct, 1 relayed". */
export function meshSummary(m: Matrix): string {
  if (!m.peers.length) return 'no agents in this group'
  const counts = new Map<string, number>()
  for (const p of m.pairs) counts.set(p.verdict, (counts.get(p.verdict) ?? 0) + 1)
  const parts = [...counts].map(([v, n]) => `${n} ${v}`)
  const agents = `${m.peers.length} agent${m.peers.length === 1 ? '' : 's'}`
  return m.pairs.length ? `${agents}, ${m.pairs.length} pair${m.pairs.length === 1 ? '' : 's'}: ${parts.join(', ')}` : `${agents}, no pair yet`
}

export interface MeshForm {
  signal: string
  group: string
  secret: string
}

/** The form's first problem in one line, or '' when it can be sent (the main process checks again). */
export function meshFormProblem(f: MeshForm): string {
  const signal = f.signal.trim()
  if (!signal) return 'the signaling server is needed, e.g. http://server:8080/'
  let url: URL
  try {
    url = new URL(signal)
  } catch {
    return `the signaling server is a URL, e.g. http://server:8080/, not ${JSON.stringify(signal.slice(0, 80))}`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the signaling server URL starts with http:// or https://'
  if (!f.group.trim()) return 'the group name is needed'
  if (!GROUP_NAME.test(f.group.trim())) return 'a group name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'
  if (!f.secret) return 'the group secret is needed (the one the agents use)'
  if (f.secret.length < 8) return 'the group secret has at least 8 characters'
  return ''
}
