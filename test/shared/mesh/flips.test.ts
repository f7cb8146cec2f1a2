import { describe, expect, it } from 'vitest'
import { detectFlip } from '../../../src/shared/mesh/flips'
import { pairRecord, type PairRecord } from '../../../src/shared/mesh/record'
import { fixtureReport } from '../../core/report/fixture'

function rec(over: Partial<PairRecord> = {}): PairRecord {
  return {
    kind: 'pair',
    at: '2026-01-01T00:00:00.000Z',
    self: 'alice',
    peer: 'bob',
    role: 'host',
    verdict: 'direct',
    reason: 'direct over host',
    prediction: 'direct',
    rttMs: 3,
    nat: { self: 'port-restricted-cone', peer: 'full-cone' },
    publicAddress: { self: '198.51.100.1', peer: '203.0.113.9' },
    findings: [],
    trigger: 'interval',
    ...over
  }
}

describe('detectFlip', () => {
  const cases: Array<{ name: string; before: PairRecord | undefined; after: PairRecord; changes: string[] | null; cause?: string | null; text?: RegExp }> = [
    { name: 'first test: no flip', before: undefined, after: rec(), changes: null },
    { name: 'same path, RTT moved: no flip', before: rec(), after: rec({ rttMs: 40 }), changes: null },
    {
      name: 'direct to relayed, the peer NAT became symmetric',
      before: rec(),
      after: rec({ verdict: 'relayed', nat: { self: 'port-restricted-cone', peer: 'symmetric' } }),
      changes: ['path', 'nat'],
      cause: 'the NAT type of bob changed from full-cone to symmetric',
      text: /^flip alice ↔ bob: direct → relayed \(likely cause: the NAT type of bob changed/
    },
    {
      name: 'relayed to direct, a finding went away: no cause',
      before: rec({ verdict: 'relayed', findings: [{ level: 'bad', text: 'Host alice: the route toward 1.2.3.4 goes into wg0.' }] }),
      after: rec(),
      changes: ['path'],
      cause: null
    },
    {
      name: 'direct to failed: the finding that appeared is the cause (bad before warn)',
      before: rec({ findings: [{ level: 'warn', text: 'UDP port 51820: closed' }] }),
      after: rec({
        verdict: 'failed',
        findings: [
          { level: 'warn', text: 'UDP port 51820: closed' },
          { level: 'warn', text: 'could not use turn:x' },
          { level: 'bad', text: 'No connection: ICE failed.' }
        ]
      }),
      changes: ['path'],
      cause: 'No connection: ICE failed'
    },
    {
      name: 'public address changed, same path',
      before: rec(),
      after: rec({ publicAddress: { self: '198.51.100.77', peer: '203.0.113.9' } }),
      changes: ['public-address'],
      cause: 'the public address of alice changed from 198.51.100.1 to 198.51.100.77',
      text: /^flip alice ↔ bob: direct, public-address changed/
    },
    { name: 'a NAT type not measured once is no change', before: rec(), after: rec({ nat: { self: null, peer: 'full-cone' }, publicAddress: { self: null, peer: null } }), changes: null },
    { name: 'tunneled to direct', before: rec({ verdict: 'tunneled' }), after: rec(), changes: ['path'] }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const flip = detectFlip(c.before, c.after)
      if (c.changes === null) return expect(flip).toBeNull()
      expect(flip?.changes).toEqual(c.changes)
      expect(flip?.before.verdict).toBe(c.before!.verdict)
      expect(flip?.after.verdict).toBe(c.after.verdict)
      if (c.cause !== undefined) expect(flip?.cause).toBe(c.cause)
      if (c.text) expect(flip?.text).toMatch(c.text)
    })
  }
})

describe('pairRecord', () => {
  it('takes verdict, prediction, NAT types, public addresses, RTT and findings from a report, from either side', () => {
    const report = fixtureReport()
    const host = pairRecord(report, { self: 'a', peer: 'b', role: 'host', trigger: 'start', at: new Date(0) })
    const join = pairRecord(report, { self: 'b', peer: 'a', role: 'join', trigger: 'start', at: new Date(0) })
    expect(host.verdict).toBe(report.connection.verdict)
    expect(host.rttMs).toBe(report.connection.rttMs)
    expect(host.at).toBe('1970-01-01T00:00:00.000Z')
    expect(host.nat).toEqual({ self: join.nat.peer, peer: join.nat.self })
    expect(host.publicAddress).toEqual({ self: join.publicAddress.peer, peer: join.publicAddress.self })
    expect(host.findings.every((f) => f.level !== 'info')).toBe(true)
  })
})
