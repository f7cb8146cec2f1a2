// Issue 16's view models: early failures kept by the store, failures in plain words, session
// steps, the timeline's order and secrets, findings ranked with their evidence, the path without
// NAT boxes for a host-to-host pair, settings errors split by field.
import { describe, expect, it } from 'vitest'
import { createAppStore } from '../../src/renderer/src/store/app'
import { applyRunEvent, newSession, type LiveSession } from '../../src/renderer/src/model/liveSession'
import { failureView } from '../../src/renderer/src/model/failure'
import { elapsedText, statusView } from '../../src/renderer/src/model/steps'
import { timelineRows, withoutSecret } from '../../src/renderer/src/model/timeline'
import { findingRows } from '../../src/renderer/src/model/findings'
import { pathView } from '../../src/renderer/src/model/verdict'
import { natMeaning, testWords } from '../../src/renderer/src/model/glossary'
import { fieldErrors } from '../../src/shared/ipc'
import { fakeBridge } from './bridge'
import { report } from './fixtures'

describe('store ordering', () => {
  it('keeps a session-end that arrives before the reply to join.start (a damaged blob fails at once)', async () => {
    const b = fakeBridge()
    const store = createAppStore(b)
    b.answers['join.start'] = () => {
      store.getState().handleEvent({ type: 'run', sessionId: 'j1', role: 'join', event: { kind: 'phase', atMs: 0, phase: 'signaling' } })
      store.getState().handleEvent({ type: 'session-end', sessionId: 'j1', role: 'join', end: { ok: false, code: 'bad-input', error: 'blob is damaged: copy all of it, on one line' } })
      return { sessionId: 'j1' }
    }
    await store.getState().join('PL1:garbage')
    const s = store.getState().session!
    expect(s.end).toMatchObject({ ok: false, code: 'bad-input' })
    expect(s.phase).toBe('failed')
    expect(s.events).toHaveLength(1)
    expect(store.getState().screen).toBe('session')
    // Retry runs the same input again.
    await store.getState().retry()
    expect(b.calls.filter((c) => c.method === 'join.start')).toHaveLength(2)
  })
})

describe('failure words', () => {
  it('says what failed and what to do; a cancel is not a failure', () => {
    expect(failureView({ ok: false, code: 'no-reply', error: 'fetch failed' }, 'join')).toMatchObject({ tone: 'failed', text: expect.stringMatching(/^Could not reach the signaling server/) })
    expect(failureView({ ok: false, code: 'bad-input', error: 'blob is damaged: copy all of it, on one line' }, 'join').title).toBe('Joining could not start')
    expect(failureView({ ok: false, code: 'cancelled', error: 'cancelled' }, 'host')).toMatchObject({ tone: 'cancelled', title: 'Cancelled' })
  })
})

describe('session steps', () => {
  it('counts the steps, skips NAT discovery when it is off, and says what it waits for', () => {
    let s: LiveSession = { ...newSession('s', 'host'), startedAt: 1_000 }
    s = applyRunEvent(s, { kind: 'phase', atMs: 0, phase: 'signaling' })
    s = applyRunEvent(s, { kind: 'invite', atMs: 1, url: 'http://a:1/join/r#s' })
    const v = statusView(s, 66_000, { natOnSession: false, timeoutMs: 600_000 })
    expect(v).toMatchObject({ step: 1, total: 5, current: 'signaling', waitingFor: 'a joiner to open the invite', elapsed: '1:05', timeout: 'gives up after 10 min' })
    expect(v.steps.find((x) => x.name === 'NAT discovery')?.state).toBe('skipped')
    s = applyRunEvent(s, { kind: 'phase', atMs: 2, phase: 'checking' })
    const w = statusView(s, 2_000, { natOnSession: true, timeoutMs: 600_000 })
    expect(w).toMatchObject({ step: 4, total: 6, current: 'checking pairs' })
    expect(w.steps.slice(0, 3).map((x) => x.state)).toEqual(['done', 'active', 'done'])
    expect(elapsedText(59_999)).toBe('0:59')
  })
})

describe('timeline', () => {
  it('is in time order, says gathering once and hides the invite secret', () => {
    const rows = timelineRows([
      { kind: 'gathering', atMs: 3, state: 'gathering' },
      { kind: 'invite', atMs: 0, url: 'http://h:1/join/room#topsecret' }
    ])
    expect(rows.map((r) => r.text)).toEqual(['invite http://h:1/join/room#… (secret hidden)', 'ICE gathering started'])
    expect(withoutSecret('http://h/join/r')).toBe('http://h/join/r')
  })
})

describe('findings and path', () => {
  it('ranks the findings worst first, each linked to a card', () => {
    const rows = findingRows(report())
    const ranks = rows.map((r) => ({ bad: 0, warn: 1, info: 2 })[r.level])
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    for (const r of rows) expect(r.evidence.id).toMatch(/^card-/)
    expect(findingRows(undefined)).toEqual([])
  })

  it('draws no NAT for a host-to-host pair and marks the failed direct attempt in a relayed one', () => {
    const ref = (type: 'host' | 'relay', address: string) => ({ type, protocol: 'udp' as const, address, port: 1 })
    expect(pathView({ local: ref('host', '127.0.0.1'), remote: ref('host', '127.0.0.1') }).sameNetwork).toBe(true)
    const relayed = pathView({ local: ref('relay', '198.51.100.7'), remote: ref('host', '203.0.113.5') }, [{ policy: 'all', outcome: 'failed', reason: 'no direct pair succeeded within 5 s' }])
    expect(relayed).toMatchObject({ kind: 'relay', sameNetwork: false, directFailed: 'no direct pair succeeded within 5 s' })
  })
})

describe('words', () => {
  it('explains NAT types and test names plainly', () => {
    expect(natMeaning('symmetric').goodness).toBe('bad')
    expect(natMeaning('something-new').goodness).toBe('unknown')
    expect(testWords('mapping-1')).toBe('public address seen by the server (mapping-1)')
  })

  it('splits the settings error back into its fields', () => {
    expect(fieldErrors('STUN servers: bad port in "x:0"; NAT servers: bad STUN server "y"')).toEqual({ stun: 'bad port in "x:0"', natServers: 'bad STUN server "y"' })
    expect(fieldErrors('disk full')).toEqual({ '': 'disk full' })
  })
})
