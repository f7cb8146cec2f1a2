// Session events and reports shaped like the core's, for renderer tests.
import type { CandidateInfo, PairInfo, SelectedPair } from '../../src/shared/session'
import type { Report } from '../../src/shared/report'
import type { NatResult } from '../../src/shared/nat'

export function candidate(type: CandidateInfo['type'], address: string, port: number, atMs = 10): CandidateInfo {
  return { type, protocol: 'udp', address, port, priority: 100, foundation: '1', component: 1, atMs, ...(type === 'srflx' ? { server: '203.0.113.1:3478', relatedAddress: { address: '192.168.1.2', port } } : {}) }
}

export const LOCAL = candidate('host', '192.168.1.2', 5000)
export const REMOTE = candidate('host', '192.168.1.3', 6000)
export const RELAY = candidate('relay', '198.51.100.7', 49152)

export const SELECTED: SelectedPair = {
  local: { type: 'host', protocol: 'udp', address: '192.168.1.2', port: 5000 },
  remote: { type: 'host', protocol: 'udp', address: '192.168.1.3', port: 6000 }
}

export function pair(id: string, state: PairInfo['state'], local = SELECTED.local, remote = SELECTED.remote): PairInfo {
  return { id, local, remote, state, nominated: state === 'succeeded', requestsSent: 1, responsesReceived: state === 'succeeded' ? 1 : 0, history: [{ state, atMs: 5 }], ...(state === 'succeeded' ? { rttMs: 2.5 } : {}) }
}

export const NAT: NatResult = {
  family: 4,
  mapping: 'address-and-port-dependent',
  filtering: 'address-and-port-dependent',
  classic: 'symmetric',
  reason: 'every destination gets its own mapping',
  method: 'rfc5780',
  local: { address: '192.168.1.2', port: 40000 },
  mapped: { address: '203.0.113.9', port: 61000 },
  server: null,
  otherAddress: null,
  portPreserved: false,
  hairpin: false,
  serverReach: 'udp',
  durationMs: 300,
  rttMs: 20,
  tests: [],
  ignored: []
}

export function report(extra: Record<string, unknown> = {}): Report {
  return {
    schema: 'peerlens.report/v1',
    app: { name: 'peerlens', version: '0.1.0' },
    createdAt: '2026-11-25T10:00:00.000Z',
    writtenBy: 'host',
    sides: [
      {
        role: 'host',
        name: 'host',
        app: { name: 'peerlens', version: '0.1.0' },
        os: { platform: 'linux', release: '6', arch: 'x64' },
        startedAt: '2026-11-25T10:00:00.000Z',
        verdict: 'direct',
        reason: 'direct pair',
        selectedPair: SELECTED,
        rttMs: 2.5,
        connectedAfterMs: 300,
        candidates: { local: [LOCAL], remote: [REMOTE] },
        pairs: [pair('p1', 'succeeded')],
        events: [
          { kind: 'phase', atMs: 0, phase: 'signaling' },
          { kind: 'local-candidate', atMs: 10, candidate: LOCAL },
          { kind: 'probe', atMs: 400, rttMs: 2 }
        ]
      },
      { role: 'join', missing: true, why: 'never arrived' }
    ],
    connection: { verdict: 'direct', reason: 'the selected pair is direct', selectedPair: SELECTED, rttMs: 2.5, connectedAfterMs: 300 },
    timeline: [],
    ...extra
  } as Report
}
