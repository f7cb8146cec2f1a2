import { describe, expect, it } from 'vitest'
import { fixtureReport } from './fixture'
import { strictReportErrors } from './strictSchema'
import { reportSchemaError } from '../../../src/core/report/validate'
import { buildReport, mergeTimeline } from '../../../src/core/report/build'
import { acceptPeerSide, describeSide } from '../../../src/core/report/side'
import type { SessionResult } from '../../../src/shared/session'
import type { SideReport } from '../../../src/shared/report'

function result(role: 'host' | 'join', startedAt: string): SessionResult {
  return {
    role,
    verdict: 'failed',
    reason: 'no candidate pair carried data between the two sides',
    selectedPair: null,
    rttMs: null,
    startedAt,
    connectedAfterMs: null,
    localCandidates: [{ type: 'host', protocol: 'udp', address: '127.0.0.1', port: 5000, priority: 1, foundation: 'f', component: 1, atMs: 5 }],
    remoteCandidates: [],
    pairs: [],
    events: [
      { kind: 'phase', atMs: 0, phase: 'signaling' },
      { kind: 'phase', atMs: 100, phase: 'failed', detail: 'timeout' }
    ]
  }
}

describe('report schema peerlens.report/v1', () => {
  it('accepts the fixture with every optional section filled (strictly: no unknown fields)', () => {
    expect(strictReportErrors(fixtureReport())).toEqual([])
    expect(reportSchemaError(fixtureReport())).toBeNull()
  })

  it('accepts a report built from session results, with a missing side', () => {
    const r = result('host', '2026-11-25T09:00:00.000Z')
    const report = buildReport(r, describeSide(r, 'alice'), acceptPeerSide(undefined, 'join'), new Date('2026-11-25T09:00:01.000Z'), { room: 'abc' })
    expect(strictReportErrors(report)).toEqual([])
    expect(report.sides[1]).toEqual({ role: 'join', missing: true, why: expect.stringMatching(/no report half/) })
  })

  it('rejects the wrong shapes it should', () => {
    const cases: Array<[string, (r: ReturnType<typeof fixtureReport>) => void, RegExp]> = [
      ['sides out of order', (r) => r.sides.reverse(), /sides\/0\/role/],
      ['a bad verdict', (r) => ((r.connection as { verdict: string }).verdict = 'maybe'), /connection\/verdict must be one of/],
      ['an endpoint as a string', (r) => ((r.sides[0] as { pathMtu: unknown }).pathMtu = { toward: '1.2.3.4:5', mtu: 1500, method: 'x' }), /toward/],
      ['a missing side without why', (r) => ((r.sides as unknown[])[1] = { role: 'join', missing: true }), /why/],
      ['a timeline entry without unixMs', (r) => delete (r.timeline[0] as { unixMs?: number }).unixMs, /unixMs/],
      ['one side only', (r) => r.sides.pop(), /sides/]
    ]
    for (const [name, mutate, message] of cases) {
      const r = fixtureReport()
      mutate(r)
      expect(reportSchemaError(r), name).toMatch(message)
    }
  })

  it('keeps fields it does not know (a newer v1 writer) when reading leniently', () => {
    const r = fixtureReport() as unknown as Record<string, unknown>
    r.somethingNew = { x: 1 }
    expect(reportSchemaError(r)).toBeNull()
    expect(strictReportErrors(r).join()).toMatch(/additional/)
  })
})

describe('mergeTimeline', () => {
  it('puts both sides on the writer clock, taking off the measured offset', () => {
    const host = { ...describeSide(result('host', '2026-11-25T09:00:00.000Z')) }
    const join: SideReport = { ...describeSide(result('join', '2026-11-25T09:00:00.300Z')), clockOffsetMs: 250 }
    const t = mergeTimeline([host, join])
    expect(t.map((e) => [e.role, e.unixMs - Date.parse('2026-11-25T09:00:00.000Z'), e.at])).toEqual([
      ['host', 0, '2026-11-25T09:00:00.000Z'],
      ['join', 50, '2026-11-25T09:00:00.050Z'],
      ['host', 100, '2026-11-25T09:00:00.100Z'],
      ['join', 150, '2026-11-25T09:00:00.150Z']
    ])
  })

  it('orders equal times host first, each side in its own order, and skips missing sides', () => {
    const host = describeSide(result('host', '2026-11-25T09:00:00.000Z'))
    const join = describeSide(result('join', '2026-11-25T09:00:00.000Z'))
    expect(mergeTimeline([host, join]).map((e) => e.role)).toEqual(['host', 'join', 'host', 'join'])
    expect(mergeTimeline([host, { role: 'join', missing: true, why: 'x' }])).toHaveLength(2)
  })
})

describe('acceptPeerSide', () => {
  const good = describeSide(result('join', '2026-11-25T09:00:00.000Z'))
  it.each([
    ['nothing', undefined, /no report half/],
    ['the wrong role', { ...good, role: 'host' }, /role "host", expected join/],
    ['a broken half', { ...good, candidates: 'none' }, /cannot read \(\/candidates must be object\)/],
    ['bad events', { ...good, events: [{ atMs: 1 }] }, /cannot read/]
  ])('reports %s as missing, with why', (_name, value, why) => {
    const side = acceptPeerSide(value, 'join')
    expect(side.missing).toBe(true)
    expect((side as { why: string }).why).toMatch(why)
  })

  it('accepts a good half and drops credentials the peer put in it', () => {
    const side = acceptPeerSide({ ...good, turnPassword: 'hunter2', reason: 'see http://u:pw@x/join/R#SECRETSECRET' }, 'join') as SideReport
    expect(side.missing).toBeFalsy()
    expect(JSON.stringify(side)).not.toMatch(/hunter2|SECRETSECRET|:pw@/)
  })
})

describe('buildReport', () => {
  it('takes attempts, prediction, paths, NAT and the measured clock offset from a newer session result', () => {
    const own = {
      ...result('host', '2026-11-25T09:00:00.000Z'),
      attempts: [{ id: '1', policy: 'all' as const, startedAtMs: 0, outcome: 'failed' as const, verdict: null, selectedPair: null, connectedAfterMs: null, rttMs: null, used: false, reason: 'timeout' }],
      prediction: { verdict: 'failed' as const, reason: 'UDP blocked' },
      paths: { direct: null },
      nat: null,
      peerClockOffsetMs: 120,
      peerClockOffsetErrorMs: 3
    }
    const peer = describeSide(result('join', '2026-11-25T09:00:00.200Z'))
    const report = buildReport(own, describeSide(own), peer, new Date('2026-11-25T09:00:01.000Z'))
    expect(strictReportErrors(report)).toEqual([])
    expect(report.connection.attempts).toEqual(own.attempts)
    expect(report.prediction).toEqual(own.prediction)
    expect(report.paths).toEqual({ direct: null })
    expect((report.sides[0] as SideReport).nat).toBeNull()
    expect(report.sides[1]).toMatchObject({ clockOffsetMs: 120, clockOffsetErrorMs: 3 })
    // The joiner's first event, 200 ms after the host's on its own clock, is 80 ms after on the host's.
    expect(report.timeline.filter((e) => e.role === 'join')[0]!.unixMs - report.timeline[0]!.unixMs).toBe(80)
  })
})
