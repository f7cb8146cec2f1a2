// NAT discovery as the NAT card sees it: which tests ran, which are running, the result.
import type { NatProgress, NatResult, NatTest, NatTestName } from '../../../shared/nat'

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
