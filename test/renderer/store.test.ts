import { describe, expect, it } from 'vitest'
import { createAppStore, localNat, remoteNat } from '../../src/renderer/src/store/app'
import { fakeBridge } from './bridge'
import { LOCAL, NAT, report } from './fixtures'
import type { SessionResult } from '../../src/shared/session'

const RESULT = { role: 'host', verdict: 'direct', reason: '', selectedPair: null, rttMs: 1, startedAt: '', connectedAfterMs: 1, localCandidates: [LOCAL], remoteCandidates: [], pairs: [], events: [] } as SessionResult

describe('app store', () => {
  it('loads formats and settings on init', async () => {
    const b = fakeBridge({ 'report.formats': () => ['json', 'html'] })
    const store = createAppStore(b)
    await store.getState().init()
    expect(store.getState().formats).toEqual(['json', 'html'])
    expect(store.getState().settings?.lastHost).toBe('0.0.0.0:8080')
  })

  it('hosts: calls host.start, shows the session, folds its events and its end', async () => {
    const b = fakeBridge({ 'host.start': () => ({ sessionId: 's1' }) })
    const store = createAppStore(b)
    b.onEvent((e) => store.getState().handleEvent(e))
    await store.getState().host({ mode: 'embedded', host: '0.0.0.0', port: 8080 })
    expect(b.calls.at(-1)).toEqual({ method: 'host.start', params: { mode: 'embedded', host: '0.0.0.0', port: 8080 } })
    expect(store.getState()).toMatchObject({ screen: 'session', busy: false })
    b.push({ type: 'run', sessionId: 's1', role: 'host', event: { kind: 'invite', atMs: 1, url: 'http://a:1/join/r#s' } })
    b.push({ type: 'run', sessionId: 'other', role: 'host', event: { kind: 'invite', atMs: 1, url: 'http://evil' } })
    store.getState().handleEvent({ type: 'run', sessionId: 's1', role: 'host', event: { kind: 'local-candidate', atMs: 2, candidate: LOCAL } })
    const s = store.getState().session!
    expect(s.invite).toBe('http://a:1/join/r#s')
    expect(s.local).toHaveLength(1)
    store.getState().handleEvent({ type: 'session-end', sessionId: 's1', role: 'host', end: { ok: true, reportId: 'r1', report: report(), result: RESULT } })
    expect(store.getState().session).toMatchObject({ phase: 'done', reportId: 'r1' })
  })

  it('keeps events that arrive before the reply to host.start', async () => {
    const b = fakeBridge()
    const store = createAppStore(b)
    b.answers['join.start'] = () => {
      store.getState().handleEvent({ type: 'run', sessionId: 'j1', role: 'join', event: { kind: 'joined', atMs: 1, room: 'r' } })
      return { sessionId: 'j1' }
    }
    await store.getState().join('http://a:1/join/r#s')
    expect(store.getState().session?.joinedRoom).toBe('r')
  })

  it('shows a refused start as an error notice and stays home', async () => {
    const b = fakeBridge({
      'join.start': () => {
        throw new Error('refused: bad params for join.start')
      }
    })
    const store = createAppStore(b)
    await store.getState().join('x')
    expect(store.getState()).toMatchObject({ screen: 'home', notice: { tone: 'error', text: 'refused: bad params for join.start' } })
  })

  it('saves, copies and cancels through the bridge', async () => {
    const b = fakeBridge({ 'host.start': () => ({ sessionId: 's1' }), 'report.save': () => ({ path: '/r.json' }) })
    const store = createAppStore(b)
    await store.getState().host({ mode: 'manual' })
    await store.getState().cancel()
    expect(b.calls.at(-1)).toEqual({ method: 'session.cancel', params: { sessionId: 's1' } })
    await store.getState().answer('PL1:x')
    expect(b.calls.at(-1)).toEqual({ method: 'manual.answer', params: { sessionId: 's1', blob: 'PL1:x' } })
    store.getState().handleEvent({ type: 'session-end', sessionId: 's1', role: 'host', end: { ok: true, reportId: 'r1', report: report(), result: RESULT } })
    await store.getState().saveReport('json', true)
    expect(b.calls.at(-1)).toEqual({ method: 'report.save', params: { reportId: 'r1', format: 'json', redact: true } })
    expect(store.getState().notice?.text).toBe('saved /r.json')
    await store.getState().copySummary()
    expect(b.calls.at(-1)!.method).toBe('clipboard.write')
    expect((b.calls.at(-1)!.params as { text: string }).text).toMatch(/^peerlens: Direct connection/)
  })

  it('copies the report module’s Markdown summary when it is available', async () => {
    const b = fakeBridge({ 'report.formats': () => ['json', 'markdown'], 'report.render': () => '## peerlens: direct\n', 'report.open': () => ({ reportId: 'r5', path: '/x.json', report: report() }) })
    const store = createAppStore(b)
    await store.getState().init()
    await store.getState().openReport()
    await store.getState().copySummary()
    expect(b.calls.slice(-2)).toEqual([
      { method: 'report.render', params: { reportId: 'r5', format: 'markdown' } },
      { method: 'clipboard.write', params: { text: '## peerlens: direct\n' } }
    ])
  })

  it('runs a NAT check and takes NAT results from events or the report', async () => {
    const b = fakeBridge({ 'nat.check': () => NAT })
    const store = createAppStore(b)
    await store.getState().checkNat()
    expect(store.getState()).toMatchObject({ screen: 'nat', nat: { status: 'done', result: NAT } })
    expect(localNat(store.getState())).toBe(NAT)
    const withNat = report()
    ;(withNat.sides[0] as { nat?: unknown }).nat = { ...NAT, classic: 'full-cone' }
    expect(remoteNat({ ...store.getState().session!, role: 'join', report: withNat } as never)?.classic).toBe('full-cone')
  })

  it('opens a report from a file into the dashboard', async () => {
    const b = fakeBridge({ 'report.open': () => ({ reportId: 'r5', path: '/x.json', report: report() }) })
    const store = createAppStore(b)
    await store.getState().openReport()
    expect(store.getState()).toMatchObject({ screen: 'session', session: { openedFrom: '/x.json', reportId: 'r5' } })
  })

  it('carries out menu actions', () => {
    const b = fakeBridge()
    const store = createAppStore(b)
    b.onEvent((e) => store.getState().handleEvent(e))
    b.push({ type: 'menu', action: 'settings' })
    expect(store.getState().screen).toBe('settings')
    b.push({ type: 'menu', action: 'home' })
    expect(store.getState().screen).toBe('home')
  })
})
