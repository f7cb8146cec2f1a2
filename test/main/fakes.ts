// A scripted engine and a minimal report for main-process tests (no network).
import type { Engine } from '../../src/main/sessionRunner'
import type { HostOptions } from '../../src/core/run/host'
import type { JoinOptions } from '../../src/core/run/join'
import type { RunOutcome } from '../../src/core/run/runSession'
import type { Report } from '../../src/shared/report'
import type { SessionResult } from '../../src/shared/session'
import type { NatResult } from '../../src/shared/nat'

export function result(role: 'host' | 'join'): SessionResult {
  return {
    role,
    verdict: 'direct',
    reason: 'direct pair',
    selectedPair: null,
    rttMs: 1,
    startedAt: '2026-11-25T10:00:00.000Z',
    connectedAfterMs: 100,
    localCandidates: [],
    remoteCandidates: [],
    pairs: [],
    events: []
  }
}

export function report(role: 'host' | 'join' = 'host'): Report {
  return {
    schema: 'peerlens.report/v1',
    app: { name: 'peerlens', version: '0.1.0' },
    createdAt: '2026-11-25T10:00:01.234Z',
    writtenBy: role,
    sides: [
      { role: 'host', missing: true, why: 'test' },
      { role: 'join', missing: true, why: 'test' }
    ],
    connection: { verdict: 'direct', reason: 'direct pair', selectedPair: null, rttMs: 1, connectedAfterMs: 100 },
    timeline: []
  } as Report
}

export const NAT: NatResult = {
  family: 4,
  mapping: 'endpoint-independent',
  filtering: 'address-and-port-dependent',
  classic: 'port-restricted-cone',
  reason: 'test',
  method: 'rfc5780',
  local: null,
  mapped: { address: '203.0.113.5', port: 40000 },
  server: null,
  otherAddress: null,
  portPreserved: false,
  hairpin: null,
  serverReach: 'udp',
  durationMs: 10,
  rttMs: 5,
  tests: [],
  ignored: []
}

export interface Scripted extends Engine {
  hostCalls: HostOptions[]
  joinCalls: JoinOptions[]
  /** Ends the last started run with this outcome (or error). */
  finish(outcome: RunOutcome | Error): void
}

export function scriptedEngine(): Scripted {
  let settle: { resolve: (o: RunOutcome) => void; reject: (e: Error) => void } | undefined
  const run = (signal?: AbortSignal): Promise<RunOutcome> =>
    new Promise<RunOutcome>((resolve, reject) => {
      settle = { resolve, reject }
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('interrupted'), { name: 'Error' })))
    })
  const e: Scripted = {
    hostCalls: [],
    joinCalls: [],
    defaultNatServers: ['stun:public.example:3478'],
    runHost: (o) => {
      e.hostCalls.push(o)
      o.emit({ kind: 'invite', atMs: 1, url: 'http://127.0.0.1:1/join/r#s' })
      return run(o.signal)
    },
    runJoin: (o) => {
      e.joinCalls.push(o)
      return run(o.signal)
    },
    discoverNat: async (o) => {
      o.onProgress?.({ kind: 'test-start', name: 'mapping-1', target: { address: '127.0.0.1', port: 1 } })
      return NAT
    },
    finish: (outcome) => (outcome instanceof Error ? settle?.reject(outcome) : settle?.resolve(outcome))
  }
  return e
}
