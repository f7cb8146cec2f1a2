import { describe, expect, it } from 'vitest'
import { attemptRecords, attemptSummary, gapWarnings, pathMeasurement, pathRecords, timeoutReason, type AttemptView } from '../../../src/core/peer/records'
import type { PathMeasurement } from '../../../src/shared/report'
import type { SelectedPair } from '../../../src/shared/session'

const end = (type: 'host' | 'srflx' | 'relay', address = '10.0.0.1') => ({ type, protocol: 'udp' as const, address, port: 5000 })
const direct: SelectedPair = { local: end('host'), remote: end('srflx', '198.51.100.2') }
const relayed: SelectedPair = { local: end('relay', '203.0.113.9'), remote: end('host') }
const attempt = (over: Partial<AttemptView> = {}): AttemptView => ({ id: 1, policy: 'all', startedAtMs: 10, connectedAtMs: null, failure: undefined, selected: null, ...over })
const path = (p: 'direct' | 'relay', p50: number, bps?: number): PathMeasurement => ({
  path: p,
  pair: null,
  probesSent: 10,
  probesReceived: 10,
  lossPercent: 0,
  rtt: { minMs: p50, p50Ms: p50, p95Ms: p50, maxMs: p50 },
  jitterMs: 0,
  rttSamplesMs: [],
  ...(bps ? { throughput: { hostToJoinBps: bps, joinToHostBps: bps, bytes: 1 } } : {})
})

describe('timeoutReason', () => {
  it.each([
    [{ peerKnown: false, attempts: [], answered: false }, /^no answer from the other side within 30 s/],
    [{ peerKnown: true, attempts: [], answered: false }, /never completed the offer\/answer exchange within 30 s/],
    [{ peerKnown: true, attempts: [attempt({ failure: 'ICE failed' })], answered: true }, /^ICE checks found no working candidate pair within 30 s \(attempt 1 \(all candidates\): ICE failed\)$/],
    [{ peerKnown: true, attempts: [attempt({ connectedAtMs: 50 })], answered: true }, /a data channel opened but the probes got no answer/]
  ])('%#', (state, reason) => {
    expect(timeoutReason(30_000, state)).toMatch(reason)
  })
})

describe('attemptSummary', () => {
  it('says how each attempt stands', () => {
    const s = attemptSummary([attempt({ failure: 'no relay' }), attempt({ id: 2, policy: 'relay', connectedAtMs: 5 }), attempt({ id: 3 })])
    expect(s).toBe('attempt 1 (all candidates): no relay; attempt 2 (relay only): connected; attempt 3 (all candidates): still checking')
  })
})

describe('attemptRecords', () => {
  const paths = new Map([[1, path('direct', 12)]])
  it.each([
    ['connected direct, used', attempt({ connectedAtMs: 40, selected: direct }), true, { outcome: 'connected', verdict: 'direct', used: true, rttMs: 12, reason: 'data channel open after 40 ms' }],
    ['connected relayed', attempt({ id: 2, policy: 'relay', connectedAtMs: 40, selected: relayed }), false, { outcome: 'connected', verdict: 'relayed', used: false, rttMs: null }],
    ['failed', attempt({ failure: 'ICE failed' }), false, { outcome: 'failed', verdict: 'failed', selectedPair: null, reason: 'ICE failed' }],
    ['still running, another chosen', attempt({ selected: direct }), false, { outcome: 'abandoned', verdict: null, selectedPair: null, reason: 'not needed: another attempt connected first' }]
  ])('%s', (_name, a, isChosen, expected) => {
    const chosen = isChosen ? a : attempt({ id: 9 })
    expect(attemptRecords([a], paths, chosen)[0]).toMatchObject({ id: String(a.id), policy: a.policy, startedAtMs: 10, ...expected })
  })

  it('a session that ended while checking', () => {
    expect(attemptRecords([attempt()], paths, undefined)[0]).toMatchObject({ outcome: 'running', reason: 'still checking when the session ended' })
  })
})

describe('pathRecords', () => {
  it.each([
    [[path('direct', 10)], undefined],
    [[path('direct', 10, 8e6), path('relay', 35.5, 2e6)], { extraRttMs: 25.5, throughputRatio: 0.25 }],
    [[path('direct', 10), path('relay', 30)], { extraRttMs: 20, throughputRatio: null }],
    // Throughput on both paths without an RTT on one of them: the ratio is still there.
    [[{ ...path('direct', 10, 8e6), rtt: null }, path('relay', 30, 4e6)], { extraRttMs: null, throughputRatio: 0.5 }],
    // Host to joiner missing on one path: the ratio comes from joiner to host.
    [[{ ...path('direct', 10), throughput: { hostToJoinBps: null, joinToHostBps: 1e6, bytes: 1 } }, { ...path('relay', 30), throughput: { hostToJoinBps: 5e5, joinToHostBps: 2e5, bytes: 1 } }], { extraRttMs: 20, throughputRatio: 0.2 }]
  ])('%#', (measured, overhead) => {
    const out = pathRecords(measured)
    expect(out.overhead).toEqual(overhead)
    expect(out.direct).toBe(measured[0])
  })

  it('keeps the first measurement of each path', () => {
    const first = path('direct', 10)
    expect(pathRecords([first, path('direct', 99)]).direct).toBe(first)
  })
})

describe('pathMeasurement', () => {
  const samples = [
    { rttMs: 10, sentWallMs: 0 },
    { rttMs: null, sentWallMs: 20 },
    { rttMs: 12, sentWallMs: 40 }
  ]
  it.each([
    [{ policy: 'all' as const, selected: direct }, 'direct'],
    [{ policy: 'all' as const, selected: relayed }, 'relay'],
    [{ policy: 'relay' as const, selected: null }, 'relay'],
    [{ policy: 'all' as const, selected: null }, 'direct']
  ])('%# is a %s path', (a, kind) => {
    const m = pathMeasurement(a, samples)
    expect(m).toMatchObject({ path: kind, probesSent: 3, probesReceived: 2, rttSamplesMs: [10, null, 12], probeMethod: 'pings on the data channel (the other side cannot answer UDP probes)' })
    expect('throughput' in m).toBe(false)
    expect(m.jitter).toBeUndefined()
  })

  it('says why pings were used when the other side could have answered a train', () => {
    expect(pathMeasurement({ policy: 'all', selected: direct }, { pings: samples, method: 'pings: no answer' }).probeMethod).toBe('pings: no answer')
  })

  // Answered: seq 0, 1, 3. Out (initiator → responder) transits 1005, 1007, 1005: D = 2, 2, so J = 2/16 = 0.125, then
  // 0.125 + (2 - 0.125)/16 = 0.2421875 (0.24). Back transits -995, -995, -995: J = 0. The responder got 4 of 5.
  const echo = {
    plan: { count: 5, spacingMs: 2, bytes: 64 },
    peerReceived: 4,
    samples: [
      { seq: 0, sentMs: 0, echoedMs: 1005, receivedMs: 10 },
      { seq: 1, sentMs: 2, echoedMs: 1009, receivedMs: 14 },
      { seq: 2, sentMs: 4, echoedMs: null, receivedMs: null },
      { seq: 3, sentMs: 6, echoedMs: 1011, receivedMs: 16 },
      { seq: 4, sentMs: 8, echoedMs: null, receivedMs: null }
    ]
  }
  const out = 0.24
  it.each([
    ['host', { hostToJoinMs: out, joinToHostMs: 0 }, { hostToJoinPercent: 20, joinToHostPercent: 25 }],
    ['join', { hostToJoinMs: 0, joinToHostMs: out }, { hostToJoinPercent: 25, joinToHostPercent: 20 }]
  ] as const)('an echo train run by the %s: directions from its side', (initiator, jitter, lossOneWay) => {
    const m = pathMeasurement({ policy: 'all', selected: direct }, { echo, initiator })
    expect(m).toMatchObject({
      path: 'direct',
      probesSent: 5,
      probesReceived: 3,
      lossPercent: 40,
      lossOneWay,
      rtt: { minMs: 10, p50Ms: 10, p95Ms: 12, maxMs: 12 },
      rttSamplesMs: [10, 12, null, 10, null],
      jitter: { ...jitter, method: expect.stringMatching(/^RFC 3550 interarrival jitter/) },
      jitterMs: out,
      probeMethod: 'UDP echo train on the selected pair: 5 probes of 64 bytes every 2 ms'
    })
  })
})

describe('gapWarnings', () => {
  const s = (rtt: number | null, at: number) => ({ rttMs: rtt, sentWallMs: at })
  it.each([
    [[s(1, 0), s(2, 20)], []],
    [[s(1, 0), s(null, 20), s(null, 40), s(3, 60)], ['direct path: the other side stopped answering at 20 ms (2 probes lost); answers came back at 60 ms']],
    [[s(null, 0)], ['direct path: the other side stopped answering at 0 ms (1 probe lost); no answer came back before the probes ended']],
    [[s(null, 0), s(1, 20), s(null, 40)], ['direct path: the other side stopped answering at 0 ms (1 probe lost); answers came back at 20 ms', 'direct path: the other side stopped answering at 40 ms (1 probe lost); no answer came back before the probes ended']],
    // An echo train's send times are fractional: the words say whole milliseconds.
    [[s(1, 0), s(null, 940.0654296875), s(1, 1502.5)], ['direct path: the other side stopped answering at 940 ms (1 probe lost); answers came back at 1503 ms']]
  ])('%#', (samples, warnings) => {
    expect(gapWarnings(samples, 'direct', (wall) => wall)).toEqual(warnings)
  })

  it('with a minimum run, shorter runs are loss, not gaps', () => {
    const train = [s(1, 0), s(null, 2), s(1, 4), s(null, 6), s(null, 8), s(null, 10), s(1, 12)]
    expect(gapWarnings(train, 'direct', (wall) => wall, 3)).toEqual(['direct path: the other side stopped answering at 6 ms (3 probes lost); answers came back at 12 ms'])
  })
})
