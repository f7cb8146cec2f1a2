import { describe, expect, it } from 'vitest'
import { errorCode, iceFromSettings, ReportStore, Sessions, THROUGHPUT_OFF_IN_SETTINGS, throughputBudget } from '../../src/main/sessionRunner'
import { DEFAULT_SETTINGS, type Settings } from '../../src/main/settings'
import type { AppEvent } from '../../src/shared/ipc'
import { report, result, scriptedEngine } from './fakes'

function setup(settings: Partial<Settings> = {}) {
  const engine = scriptedEngine()
  const events: AppEvent[] = []
  const remembered: string[] = []
  const sessions = new Sessions({
    engine,
    send: (e) => events.push(e),
    settings: () => ({ ...DEFAULT_SETTINGS, natOnSession: false, ...settings }),
    rememberHost: (h) => void remembered.push(h)
  })
  return { engine, events, remembered, sessions }
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('Sessions', () => {
  it('runs a host session and pushes its events and its end with the report', async () => {
    const { engine, events, remembered, sessions } = setup()
    const { sessionId } = sessions.startHost({ mode: 'embedded', host: '0.0.0.0', port: 8080 })
    expect(engine.hostCalls[0]!.mode).toEqual({ kind: 'embedded', host: '0.0.0.0', port: 8080 })
    expect(remembered).toEqual(['0.0.0.0:8080'])
    expect(events[0]).toMatchObject({ type: 'run', sessionId, role: 'host', event: { kind: 'invite' } })
    expect(sessions.running).toBe(true)
    engine.finish({ result: result('host'), report: report() })
    await flush()
    const end = events.at(-1)!
    expect(end).toMatchObject({ type: 'session-end', sessionId, end: { ok: true } })
    const reportId = end.type === 'session-end' && end.end.ok ? end.end.reportId : ''
    expect(sessions.reports.get(reportId).schema).toBe('peerlens.report/v1')
    expect(sessions.running).toBe(false)
  })

  it('runs one session at a time', () => {
    const { sessions } = setup()
    sessions.startJoin('http://a:1/join/r#s')
    expect(() => sessions.startHost({ mode: 'manual' })).toThrow(/already running/)
  })

  it('cancels through the abort signal and says so', async () => {
    const { engine, events, sessions } = setup()
    const { sessionId } = sessions.startJoin('http://a:1/join/r#s')
    sessions.cancel(sessionId)
    expect(engine.joinCalls[0]!.signal?.aborted).toBe(true)
    await flush()
    expect(events.at(-1)).toMatchObject({ type: 'session-end', end: { ok: false, code: 'cancelled' } })
    // Cancelling again, or an unknown session, is harmless.
    sessions.cancel(sessionId)
    sessions.cancel('nope')
  })

  it('asks the engine for a port mapping only when Settings turns it on (off by default: it changes the router)', () => {
    const off = setup()
    off.sessions.startHost({ mode: 'embedded', host: '0.0.0.0', port: 8080 })
    expect(off.engine.hostCalls[0]!).not.toHaveProperty('portMapping')
    const on = setup({ portMapping: true })
    on.sessions.startJoin('http://a:1/join/r#s')
    expect(on.engine.joinCalls[0]!).toMatchObject({ portMapping: true })
  })

  it('passes the Settings throughput switch and cap to the session: off is 0 bytes with the reason the report gives', () => {
    const byDefault = setup()
    byDefault.sessions.startHost({ mode: 'embedded', host: '0.0.0.0', port: 8080 })
    expect(byDefault.engine.hostCalls[0]!).not.toHaveProperty('throughputBytes')
    const capped = setup({ throughputMb: 2 })
    capped.sessions.startHost({ mode: 'manual' })
    expect(capped.engine.hostCalls[0]!).toMatchObject({ throughputBytes: 2 * 1024 * 1024 })
    expect(capped.engine.hostCalls[0]!).not.toHaveProperty('throughputOff')
    const off = setup({ throughput: false, throughputMb: 2 })
    off.sessions.startJoin('http://a:1/join/r#s')
    expect(off.engine.joinCalls[0]!).toMatchObject({ throughputBytes: 0, throughputOff: THROUGHPUT_OFF_IN_SETTINGS })
    expect(throughputBudget({ throughput: false, throughputMb: null })).toEqual({ throughputBytes: 0, throughputOff: 'turned off in Settings (a metered or slow link)' })
  })

  it('hands a pasted answer blob to a manual host', async () => {
    const { engine, sessions } = setup()
    const { sessionId } = sessions.startHost({ mode: 'manual' })
    const mode = engine.hostCalls[0]!.mode
    if (mode.kind !== 'manual') throw new Error('expected manual')
    const answer = mode.readAnswer()
    expect(() => sessions.answer('other', 'PL1:x')).toThrow(/no such session/)
    sessions.answer(sessionId, 'PL1:answer')
    await expect(answer).resolves.toBe('PL1:answer')
    expect(() => sessions.answer(sessionId, 'PL1:again')).toThrow(/not waiting/)
  })

  it('maps core errors to codes the UI explains', async () => {
    const { engine, events, sessions } = setup()
    sessions.startJoin('http://a:1/join/r#s')
    engine.finish(Object.assign(new Error('wrong room secret'), { name: 'BadInputError' }))
    await flush()
    expect(events.at(-1)).toMatchObject({ end: { ok: false, code: 'bad-input', error: 'wrong room secret' } })
    expect(errorCode(Object.assign(new Error(), { name: 'NoReplyError' }))).toBe('no-reply')
    expect(errorCode(new TypeError('x'))).toBe('internal')
  })

  it('builds ICE options from the settings and refuses a bad URL without getting stuck', () => {
    expect(iceFromSettings({ ...DEFAULT_SETTINGS, stun: ['s.example:3478'], turn: ['turn:t.example'], turnUser: 'u', turnPassword: 'p' })).toEqual({
      stun: ['stun:s.example:3478'],
      turn: ['turn:t.example:3478'],
      turnUser: 'u',
      turnPass: 'p'
    })
    const { sessions } = setup({ stun: ['http://nope'] })
    expect(() => sessions.startJoin('http://a:1/join/r#s')).toThrow()
    expect(sessions.running).toBe(false)
  })

  it('passes NAT discovery and the excluded interfaces to the core', () => {
    const { engine, sessions } = setup({ natOnSession: true, excludedInterfaces: ['wt0'], portTests: [51820] })
    sessions.startJoin('http://a:1/join/r#s')
    expect(engine.joinCalls[0]).toMatchObject({ nat: true, exclude: { interfaces: ['wt0'] }, portTests: [51820] })
    const other = setup()
    other.sessions.startHost({ mode: 'manual' })
    expect(other.engine.hostCalls[0]!.nat).toBe(false)
    expect(other.engine.hostCalls[0]!.exclude).toBeUndefined()
    expect(other.engine.hostCalls[0]!.portTests).toBeUndefined()
  })

  it('pushes the progress of a NAT check', async () => {
    const { events, sessions } = setup({ natServers: ['stun:127.0.0.1:3478'] })
    await sessions.checkNat('c1')
    expect(events[0]).toMatchObject({ type: 'nat-progress', checkId: 'c1' })
    expect(events.at(-1)).toMatchObject({ type: 'nat-result', result: { classic: 'port-restricted-cone' } })
  })

  it('asks the public NAT servers only when none are configured', async () => {
    const { engine, sessions } = setup()
    let asked: unknown
    engine.discoverNat = async (o) => {
      asked = o.stun
      throw new Error('boom')
    }
    await expect(sessions.checkNat('c1')).rejects.toThrow('boom')
    expect(asked).toEqual(['stun:public.example:3478'])
  })

  it('keeps a bounded number of reports', () => {
    const store = new ReportStore(2)
    const a = store.add(report())
    store.add(report())
    store.add(report())
    expect(() => store.get(a)).toThrow(/no longer open/)
  })
})
