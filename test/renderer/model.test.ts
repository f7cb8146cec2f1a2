import { describe, expect, it } from 'vitest'
import { applyEnd, applyRunEvent, MAX_EVENTS, newSession, sessionFromReport } from '../../src/renderer/src/model/liveSession'
import { applyNatError, applyNatProgress, applyNatResult, IDLE_NAT, natCardView } from '../../src/renderer/src/model/nat'
import { candidateCounts, candidateRows, pairRows } from '../../src/renderer/src/model/candidates'
import { jitterSeries, metricCards, rttSummary, sparklinePath } from '../../src/renderer/src/model/metrics'
import { pathView, verdictView } from '../../src/renderer/src/model/verdict'
import { summaryText } from '../../src/renderer/src/model/summary'
import { eventText as describeEvent } from '../../src/shared/format'
import { timelineRows } from '../../src/renderer/src/model/timeline'
import { cleanTarget, hostParams, inviteFor, parseListen, targetKind } from '../../src/renderer/src/model/home'
import { bitsPerSecond, hostPort, msMeasured as ms } from '../../src/shared/format'
import { LOCAL, NAT, pair, RELAY, REMOTE, report, SELECTED } from './fixtures'

describe('session reducer', () => {
  it('folds run events into the dashboard state', () => {
    let s = newSession('s1', 'host')
    s = applyRunEvent(s, { kind: 'invite', atMs: 1, url: 'http://a:1/join/r#x' })
    s = applyRunEvent(s, { kind: 'address', atMs: 1, address: { name: 'eth0', address: '10.0.0.1', family: 4, internal: false, vpnLike: false }, url: 'http://10.0.0.1:1/' })
    s = applyRunEvent(s, { kind: 'phase', atMs: 2, phase: 'gathering' })
    s = applyRunEvent(s, { kind: 'local-candidate', atMs: 3, candidate: LOCAL })
    s = applyRunEvent(s, { kind: 'local-candidate', atMs: 4, candidate: LOCAL })
    s = applyRunEvent(s, { kind: 'remote-candidate', atMs: 5, candidate: REMOTE })
    s = applyRunEvent(s, { kind: 'pair', atMs: 6, pair: pair('p1', 'in-progress') })
    s = applyRunEvent(s, { kind: 'pair', atMs: 7, pair: pair('p1', 'succeeded') })
    s = applyRunEvent(s, { kind: 'selected-pair', atMs: 8, pair: SELECTED })
    s = applyRunEvent(s, { kind: 'probe', atMs: 9, rttMs: 3 })
    s = applyRunEvent(s, { kind: 'error', atMs: 10, message: 'oops' })
    s = applyRunEvent(s, { kind: 'peer-hello', atMs: 11, name: 'bob', version: '0.1.0', features: [] })
    s = applyRunEvent(s, { kind: 'blob', atMs: 12, which: 'offer', blob: 'PL1:x' })
    expect(s.invite).toBe('http://a:1/join/r#x')
    expect(s.addresses).toHaveLength(1)
    expect(s.phase).toBe('gathering')
    expect(s.local).toHaveLength(1)
    expect(s.remote).toHaveLength(1)
    expect(s.pairs).toHaveLength(1)
    expect(s.pairs[0]!.state).toBe('succeeded')
    expect(s.selected).toEqual(SELECTED)
    expect(s.probes).toEqual([{ atMs: 9, rttMs: 3 }])
    expect(s.errors).toEqual(['oops'])
    expect(s.peer?.name).toBe('bob')
    expect(s.blobs.offer).toBe('PL1:x')
    expect(s.events).toHaveLength(13)
  })

  it('keeps the live NAT summaries, prediction, attempts and path metrics', () => {
    let s = newSession('s', 'join')
    s = applyRunEvent(s, { kind: 'nat', atMs: 1, side: 'join', mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone', reason: 'r' })
    s = applyRunEvent(s, { kind: 'nat', atMs: 2, side: 'host', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', classic: 'symmetric', reason: 'r' })
    s = applyRunEvent(s, { kind: 'prediction', atMs: 3, verdict: 'relayed', reason: 'symmetric on one side' })
    s = applyRunEvent(s, { kind: 'attempt', atMs: 4, attempt: 2, policy: 'relay', outcome: 'started' })
    s = applyRunEvent(s, { kind: 'attempt', atMs: 5, attempt: 1, policy: 'all', outcome: 'started' })
    s = applyRunEvent(s, { kind: 'attempt', atMs: 6, attempt: 2, policy: 'relay', outcome: 'connected' })
    s = applyRunEvent(s, { kind: 'path-metrics', atMs: 7, path: 'relay', rttP50Ms: 40, lossPercent: 5, jitterMs: 2 })
    s = applyRunEvent(s, { kind: 'warning', atMs: 8, message: 'NAT discovery got no answer' })
    expect(s.nat.join?.classic).toBe('restricted-cone')
    expect(natCardView(s.nat.host)).toMatchObject({ title: 'Symmetric NAT', rows: [{ label: 'Mapping', value: 'a new public port per destination (address-and-port-dependent)' }, { label: 'Filtering', value: 'lets in only the exact address and port this side sent to (address-and-port-dependent)' }] })
    expect(natCardView(s.nat.host)).toMatchObject({ goodness: 'bad', meaning: expect.stringMatching(/new public port.*relay/) })
    expect(s.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'started'],
      [2, 'connected']
    ])
    const v = verdictView(s)
    expect(v.prediction).toMatchObject({ title: 'Predicted: relayed', disagrees: false })
    expect(v.attempts).toEqual(['attempt 1 (all candidates): started', 'attempt 2 (relay only): connected'])
    expect(metricCards(s).slice(0, 3).map((c) => c.value)).toEqual(['40 ms / not measured', '2.0 ms', '5.0 %'])
    expect(s.warnings).toEqual(['NAT discovery got no answer'])
    expect(timelineRows(s.events).at(-1)).toMatchObject({ tone: 'error', text: 'warning: NAT discovery got no answer' })
  })

  it('ignores event kinds it does not know (newer cores) except on the timeline', () => {
    const s = applyRunEvent(newSession('s', 'join'), { kind: 'port-test', atMs: 1 } as never)
    expect(s.events).toHaveLength(1)
    expect(describeEvent(s.events[0]!)).toBe('port-test')
  })

  it('caps the timeline', () => {
    let s = newSession('s', 'join')
    for (let i = 0; i < MAX_EVENTS + 5; i++) s = applyRunEvent(s, { kind: 'ice-state', atMs: i, state: 'checking' })
    expect(s.events).toHaveLength(MAX_EVENTS)
    expect(s.events[0]!.atMs).toBe(5)
  })

  it('takes the final result as the authority at the end', () => {
    const r = report()
    const s = applyEnd(newSession('s', 'host'), {
      ok: true,
      reportId: 'r1',
      report: r,
      result: { role: 'host', verdict: 'direct', reason: '', selectedPair: SELECTED, rttMs: 1, startedAt: '', connectedAfterMs: 1, localCandidates: [LOCAL], remoteCandidates: [REMOTE], pairs: [pair('p', 'succeeded')], events: [] }
    })
    expect(s).toMatchObject({ phase: 'done', reportId: 'r1', selected: SELECTED })
    expect(s.local).toEqual([LOCAL])
    expect(applyEnd(newSession('s', 'host'), { ok: false, code: 'no-reply', error: 'x' }).phase).toBe('failed')
  })

  it('replays a saved report', () => {
    const s = sessionFromReport(report(), 'r9', '/tmp/r.json')
    expect(s).toMatchObject({ role: 'host', reportId: 'r9', openedFrom: '/tmp/r.json', phase: 'done' })
    expect(s.local).toEqual([LOCAL])
    expect(s.probes).toHaveLength(1)
  })
})

describe('NAT progress', () => {
  it('tracks running and finished tests, then the result', () => {
    let n = applyNatProgress(IDLE_NAT, 'c1', { kind: 'server', server: { address: '127.0.0.1', port: 3478 }, host: 'lab' })
    n = applyNatProgress(n, 'c1', { kind: 'test-start', name: 'mapping-1', target: { address: '127.0.0.1', port: 3478 } })
    expect(n).toMatchObject({ status: 'running', running: ['mapping-1'], server: 'lab (127.0.0.1:3478)' })
    n = applyNatProgress(n, 'c1', { kind: 'test-done', test: { name: 'mapping-1', target: { address: '127.0.0.1', port: 3478 }, result: 'reply', mapped: null, from: null, ms: 1, attempts: 1 } })
    expect(n.running).toEqual([])
    expect(n.tests).toHaveLength(1)
    // A newer check starts fresh.
    expect(applyNatProgress(n, 'c2', { kind: 'test-start', name: 'hairpin', target: { address: '1.1.1.1', port: 1 } }).tests).toEqual([])
    expect(applyNatResult(n, 'c1', NAT)).toMatchObject({ status: 'done', result: NAT })
    expect(applyNatError(n, 'c1', 'boom')).toMatchObject({ status: 'error', error: 'boom' })
  })
})

describe('view models', () => {
  it('filters candidates by type and counts them', () => {
    const list = [LOCAL, RELAY]
    expect(candidateRows(list, new Set(['relay'])).map((r) => r.type)).toEqual(['relay'])
    expect(candidateCounts(list)).toEqual({ host: 1, srflx: 0, prflx: 0, relay: 1 })
  })

  it('puts the selected pair first, then by progress', () => {
    const other = { ...SELECTED.remote, port: 7000 }
    const rows = pairRows([pair('f', 'failed', SELECTED.local, other), pair('w', 'waiting', SELECTED.local, other), pair('s', 'succeeded')], SELECTED)
    expect(rows.map((r) => [r.key, r.selected])).toEqual([
      ['s', true],
      ['w', false],
      ['f', false]
    ])
    expect(rows[0]!.rtt).toBe('2.5 ms')
  })

  it('shows the verdict as soon as the verdict event comes, before the measurements and the report', () => {
    let s = newSession('s', 'join')
    s = applyRunEvent(s, { kind: 'phase', atMs: 5, phase: 'connected', detail: 'relay path up; the direct attempt may still connect' })
    expect(verdictView(s).tone).toBe('pending')
    s = applyRunEvent(s, { kind: 'verdict', atMs: 9, verdict: 'relayed', reason: 'the selected pair goes through a TURN relay', attempt: 2 })
    s = applyRunEvent(s, { kind: 'phase', atMs: 9, phase: 'measuring' })
    expect(verdictView(s)).toMatchObject({ tone: 'relayed', title: 'Relayed through TURN', reason: 'the selected pair goes through a TURN relay' })
    expect(describeEvent({ kind: 'verdict', atMs: 9, verdict: 'relayed', reason: 'r', attempt: 2 })).toMatch(/^verdict: relayed: r/)
  })

  it('shows the verdict with the prediction beside it, flagging a disagreement', () => {
    const live = newSession('s', 'host')
    expect(verdictView(live)).toMatchObject({ tone: 'pending', prediction: undefined })
    const done = { ...live, report: report({ prediction: { verdict: 'direct', reason: 'both cones' } }) }
    done.report!.connection.verdict = 'relayed'
    expect(verdictView(done)).toMatchObject({ tone: 'relayed', title: 'Relayed through TURN', prediction: { title: 'Predicted: direct', disagrees: true } })
    const failed = { ...live, end: { ok: false as const, code: 'bad-input' as const, error: 'wrong room secret' } }
    expect(verdictView(failed)).toMatchObject({ tone: 'failed', title: 'Cannot start', reason: 'wrong room secret' })
  })

  it('lists attempts when the report has them', () => {
    const s = { ...newSession('s', 'host'), report: report() }
    ;(s.report!.connection as { attempts?: unknown }).attempts = [{ id: 'a', policy: 'relay', outcome: 'connected', verdict: 'relayed', selectedPair: null, used: true, reason: 'relay-only in 0.4 s' }]
    expect(verdictView(s).attempts).toEqual(['relay-only: connected (relayed), used: relay-only in 0.4 s'])
  })

  it('says "not measured" on a NAT card without a result, and shows one fully', () => {
    expect(natCardView(undefined)).toMatchObject({ title: 'Not measured' })
    expect(natCardView(undefined, { ...IDLE_NAT, status: 'running', running: ['hairpin'] }).title).toBe('Discovering…')
    const v = natCardView(NAT)
    expect(v.title).toBe('Symmetric NAT')
    expect(v.rows).toContainEqual({ label: 'Public address', value: '203.0.113.9:61000' })
    expect(v.rows).toContainEqual(expect.objectContaining({ label: 'Hairpin', value: 'no', help: expect.stringMatching(/own public address/) }))
  })

  it('calls a NAT result with our own address seen "No NAT", as the reports do, with the method in words', () => {
    const own = { ...NAT, mapping: 'none' as const, filtering: 'unknown' as const, classic: 'unknown' as const, method: 'local-address' as const }
    const v = natCardView(own)
    expect(v.title).toBe('No NAT (filtering unknown)')
    expect(v.status).toMatch(/^the server saw our own address, \d+ tests?$/)
    expect(natCardView({ classic: 'unknown', mapping: 'none', filtering: 'unknown', reason: 'x' }).title).toBe('No NAT (filtering unknown)')
  })

  it('draws the path direct or through the relay', () => {
    expect(pathView(null).kind).toBe('none')
    expect(pathView(SELECTED)).toMatchObject({ kind: 'direct', relay: '' })
    const viaRelay = pathView({ local: { type: 'relay', protocol: 'udp', address: '198.51.100.7', port: 49152 }, remote: SELECTED.remote })
    expect(viaRelay).toMatchObject({ kind: 'relay', relay: '198.51.100.7:49152' })
  })

  it('computes RTT percentiles and jitter from probes, or reads the core’s measurements', () => {
    expect(rttSummary([])).toBeUndefined()
    expect(rttSummary([1, 3, 2, 10])).toEqual({ p50: 2, p95: 10, jitter: (2 + 1 + 8) / 3 })
    const live = { ...newSession('s', 'host'), probes: [1, 2, 3].map((r, i) => ({ atMs: i, rttMs: r })) }
    const cards = metricCards(live)
    expect(cards[0]).toMatchObject({ label: 'RTT p50 / p95', value: '2.0 ms / 3.0 ms' })
    expect(cards.find((c) => c.label === 'Throughput')!.value).toBe('not measured')
    const measured = {
      ...live,
      report: report({
        paths: {
          direct: { path: 'direct', probesSent: 100, probesReceived: 99, lossPercent: 1, rtt: { p50Ms: 12, p95Ms: 30 }, jitterMs: 4, throughput: { hostToJoinBps: 5e6, joinToHostBps: 2.5e6 } },
          overhead: { extraRttMs: 18, throughputRatio: 0.5 }
        }
      })
    }
    const m = metricCards(measured)
    expect(m.map((c) => c.value)).toEqual(['12 ms / 30 ms', '4.0 ms', '1.0 %', '40.0 Mbit/s / 20.0 Mbit/s', '+18 ms RTT'])
    expect(m[3]!.bars).toEqual([
      { label: 'host → joiner', value: 5e6 },
      { label: 'joiner → host', value: 2.5e6 }
    ])
    expect(m[4]!.bars).toEqual([])
    expect(jitterSeries([1, 3, null, 4, 2])).toEqual([2, null, null, 2])
  })

  it('draws sparklines that break where samples were lost', () => {
    expect(sparklinePath([], 100, 20)).toBe('')
    const d = sparklinePath([1, null, 3, 2], 90, 20)
    expect(d.match(/M/g)).toHaveLength(2)
    expect(d.startsWith('M0.0 19.0')).toBe(true)
  })

  it('writes a summary for a ticket', () => {
    const s = { ...sessionFromReport(report(), 'r', '/r.json') }
    const text = summaryText(s, NAT, undefined)
    expect(text).toMatch(/^peerlens: Direct connection\n/)
    expect(text).toContain('This side (host): Symmetric NAT')
    expect(text).toContain('Other side: NAT not measured')
  })

  it('describes every timeline event in words', () => {
    const rows = timelineRows([
      { kind: 'error', atMs: 1500, message: 'x' },
      { kind: 'channel-open', atMs: 1600 }
    ])
    expect(rows.map((r) => [r.at, r.tone, r.text])).toEqual([
      ['1.500 s', 'error', 'error: x'],
      ['1.600 s', 'good', 'data channel open']
    ])
  })
})

describe('home input', () => {
  it('parses listen addresses', () => {
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 })
    expect(parseListen(':0')).toEqual({ host: '0.0.0.0', port: 0 })
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 })
    expect(parseListen('nope')).toMatch(/HOST:PORT/)
    expect(parseListen('a:70000')).toMatch(/0-65535/)
  })

  it('builds host.start params or says what is wrong', () => {
    expect(hostParams('manual', '', '')).toEqual({ mode: 'manual' })
    expect(hostParams('remote', '', 'https://s.example/')).toEqual({ mode: 'remote', url: 'https://s.example/' })
    expect(hostParams('remote', '', 'ftp://x')).toMatch(/http/)
    expect(hostParams('embedded', '127.0.0.1:0', '')).toEqual({ mode: 'embedded', host: '127.0.0.1', port: 0 })
  })

  it('recognises invites and blobs as pasted from chats', () => {
    expect(targetKind(' "http://10.0.0.1:8080/join/abc#s3cr3t" ')).toBe('invite')
    expect(targetKind('PL1:abc\n  def')).toBe('blob')
    expect(cleanTarget('PL1:abc\n  def')).toBe('PL1:abcdef')
    expect(targetKind('hello')).toBe('unknown')
    expect(targetKind('  ')).toBe('empty')
    expect(targetKind('http://10.0.0.1:8080/join/abc')).toBe('no-secret')
    expect(targetKind('http://10.0.0.1:8080/join/abc#')).toBe('no-secret')
    expect(targetKind('http://10.0.0.1:8080/other/abc')).toBe('unknown')
  })

  it('rewrites the invite for each interface address', () => {
    expect(inviteFor('http://10.0.0.1:8080/join/r#s', 'http://[fd00::2]:8080/')).toBe('http://[fd00::2]:8080/join/r#s')
  })

  it('formats', () => {
    expect(hostPort('::1', 5)).toBe('[::1]:5')
    expect(ms(null)).toBe('not measured')
    expect(bitsPerSecond(125_000_000)).toBe('1.00 Gbit/s')
  })
})
