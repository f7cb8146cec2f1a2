// NAT discovery as the NAT card sees it: which tests ran, which are running, the result.
import type { NatProgress, NatResult, NatTest, NatTestName } from '../../../shared/nat'
import type { Side } from '../../../shared/report'
import { formatDoubleNat, formatPortMapping, hostPort, msMeasured as ms, natMethodText, natTitleOf } from '../../../shared/format'
import type { NatSummary } from './liveSession'
import { filteringWords, mappingWords, natMeaning, termHelp, testWords, type Goodness } from './glossary'

function meaningOf(classic: string): { meaning: string; goodness: Goodness } {
  const m = natMeaning(classic)
  return { meaning: m.sentence, goodness: m.goodness }
}

export interface NatState {
  status: 'idle' | 'running' | 'done' | 'error'
  checkId?: string
  server?: string
  running: NatTestName[]
  tests: NatTest[]
  result?: NatResult
  error?: string
}

export const IDLE_NAT: NatState = { status: 'idle', running: [], tests: [] }

/** Progress for a check we are not showing (an older one) is ignored. */
export function applyNatProgress(s: NatState, checkId: string, p: NatProgress): NatState {
  const base: NatState = s.checkId === checkId && s.status === 'running' ? s : { status: 'running', checkId, running: [], tests: [] }
  switch (p.kind) {
    case 'server':
      return { ...base, server: `${p.host} (${p.server.address}:${p.server.port})` }
    case 'test-start':
      return { ...base, running: [...base.running.filter((n) => n !== p.name), p.name] }
    case 'test-done':
      return { ...base, running: base.running.filter((n) => n !== p.test.name), tests: [...base.tests, p.test] }
  }
}

export function applyNatResult(s: NatState, checkId: string, result: NatResult): NatState {
  return { ...s, status: 'done', checkId, running: [], result, tests: result.tests }
}

export function applyNatError(s: NatState, checkId: string, error: string): NatState {
  return { ...s, status: 'error', checkId, running: [], error }
}

export interface NatCardView {
  title: string
  status: string
  /** help: the term explained (hover); value in plain words, the RFC term after it. */
  rows: Array<{ label: string; value: string; help?: string }>
  reason: string
  /** One sentence: what this type means for connecting. */
  meaning?: string
  goodness?: Goodness
}

function plain(words: string, term: string): string {
  return words === term ? words : `${words} (${term})`
}

function yesNo(v: boolean | null | undefined, none = 'not tested'): string {
  return v === null || v === undefined ? none : v ? 'yes' : 'no'
}

function isFull(r: NatResult | NatSummary): r is NatResult {
  return 'method' in r
}

/** A side's NAT card: the result when there is one, progress while tests run, "not measured" otherwise. */
export function natCardView(result: NatResult | NatSummary | undefined, state?: NatState): NatCardView {
  if (result && !isFull(result)) {
    return {
      title: natTitleOf(result),
      status: 'as the other side sent it during the session',
      rows: [
        { label: 'Mapping', value: plain(mappingWords(result.mapping), result.mapping), help: termHelp('Mapping') },
        { label: 'Filtering', value: plain(filteringWords(result.filtering), result.filtering), help: termHelp('Filtering') }
      ],
      reason: result.reason,
      ...meaningOf(result.classic)
    }
  }
  if (!result) {
    if (state?.status === 'running') {
      const done = state.tests.length
      return {
        title: 'Discovering…',
        status: `${done} test${done === 1 ? '' : 's'} done${state.running.length ? `, running ${state.running.join(', ')}` : ''}`,
        rows: state.tests.map((t) => ({ label: testWords(t.name), value: t.result + (t.mapped ? ` → ${hostPort(t.mapped.address, t.mapped.port)}` : '') })),
        reason: state.server ? `asking ${state.server}` : ''
      }
    }
    if (state?.status === 'error') return { title: 'Not measured', status: 'discovery failed', rows: [], reason: state.error ?? '' }
    return { title: 'Not measured', status: 'no NAT result from this side', rows: [], reason: '' }
  }
  return {
    title: natTitleOf(result),
    status: natMethodText(result),
    rows: [
      { label: 'Mapping', value: plain(mappingWords(result.mapping), result.mapping), help: termHelp('Mapping') },
      { label: 'Filtering', value: plain(filteringWords(result.filtering), result.filtering), help: termHelp('Filtering') },
      { label: 'Public address', value: result.mapped ? hostPort(result.mapped.address, result.mapped.port) : 'none seen' },
      { label: 'Port preserved', value: yesNo(result.portPreserved, 'n/a'), help: termHelp('Port preserved') },
      { label: 'Hairpin', value: yesNo(result.hairpin), help: termHelp('Hairpin') },
      { label: 'Server RTT', value: ms(result.rttMs) },
      ...(result.portMapping ? [{ label: 'Port mapping', value: formatPortMapping(result.portMapping) }] : []),
      ...(result.doubleNat ? [{ label: 'Double NAT', value: formatDoubleNat(result.doubleNat) }] : [])
    ],
    reason: result.reason,
    ...meaningOf(result.classic)
  }
}

/** A side's NAT result (IPv4), or undefined when that side did not measure or its half is missing. */
export function natOf(side: Side | undefined): NatResult | undefined {
  return side && !side.missing ? (side.nat ?? undefined) : undefined
}
