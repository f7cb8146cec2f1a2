import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HistoryStore, historyEntry } from '../../src/main/history'
import { Sessions } from '../../src/main/sessionRunner'
import { createHandlers } from '../../src/main/handlers'
import { handleCall } from '../../src/main/ipc'
import { SettingsStore } from '../../src/main/settings'
import { loadReport } from '../../src/core/report/load'
import { fixtureReport } from '../core/report/fixture'
import { tempDir } from '../helpers/tempDir'
import { report as minimalReport, result } from './fakes'
import type { AppEvent } from '../../src/shared/ipc'
import type { Engine } from '../../src/main/sessionRunner'

const LIMITS = { entries: 3, reportBytes: 1_000_000, totalBytes: 10_000_000 }

describe('HistoryStore (real files)', () => {
  it('keeps each report and an index entry, newest first, and reads them back after a restart', async () => {
    const dir = tempDir('history')
    const store = new HistoryStore(dir, loadReport, LIMITS)
    const first = await store.add(fixtureReport(), { mode: 'embedded', host: '0.0.0.0', port: 8080 })
    const second = await store.add(minimalReport('join'))
    const again = new HistoryStore(dir, loadReport, LIMITS)
    const { entries, problem } = await again.list()
    expect(problem).toBeUndefined()
    expect(entries.map((e) => e.id)).toEqual([second!.id, first!.id])
    expect(entries[1]).toMatchObject({ role: 'host', verdict: 'relayed', peer: 'bob-laptop', again: { mode: 'embedded', host: '0.0.0.0', port: 8080 } })
    expect(entries[1]!.networks).toContain('public 81.2.69.142')
    expect(entries[0]).toMatchObject({ role: 'join', peer: 'the host' })
    expect(entries[0]!.again).toBeUndefined()
    expect((await again.open(first!.id)).report).toEqual(fixtureReport())
    expect(statSync(join(dir, `${first!.id}.json`)).mode & 0o777).toBe(0o600)
  })

  it('is bounded in count and in size: the oldest go, a report over the limit is not kept', async () => {
    const dir = tempDir('history-bounds')
    const store = new HistoryStore(dir, loadReport, LIMITS)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await store.add(minimalReport()))!.id)
    expect((await store.list()).entries.map((e) => e.id)).toEqual(ids.slice(2).reverse())
    expect(readdirSync(dir).sort()).toEqual([...ids.slice(2).map((id) => `${id}.json`), 'index.json'].sort())
    const bytes = JSON.stringify(minimalReport()).length
    const small = new HistoryStore(tempDir('history-size'), loadReport, { entries: 10, reportBytes: bytes * 10, totalBytes: bytes * 2 + 10 })
    for (let i = 0; i < 4; i++) await small.add(minimalReport())
    expect((await small.list()).entries).toHaveLength(2)
    const tiny = new HistoryStore(tempDir('history-tiny'), loadReport, { entries: 10, reportBytes: 100, totalBytes: 1000 })
    expect(await tiny.add(fixtureReport())).toBeUndefined()
    expect((await tiny.list()).entries).toEqual([])
  })

  it('a damaged report is a one-line error, a damaged index starts afresh and says so', async () => {
    const dir = tempDir('history-damage')
    const store = new HistoryStore(dir, loadReport, LIMITS)
    const e = (await store.add(fixtureReport()))!
    writeFileSync(join(dir, `${e.id}.json`), '{"schema":"peerlens.report/v1", "app":')
    await expect(store.open(e.id)).rejects.toThrow(/^this past session cannot be opened: the report is truncated \(the JSON stops early\)$/)
    await expect(store.open('nope')).rejects.toThrow('that session is no longer in the history')
    writeFileSync(join(dir, 'index.json'), '{"version":1,"entries":[{"id":"../../etc/passwd"}]}')
    const fresh = new HistoryStore(dir, loadReport, LIMITS)
    expect(await fresh.list()).toEqual({ entries: [], problem: 'the history index is damaged (not the expected shape): starting a new one' })
    writeFileSync(join(dir, 'index.json'), 'garbage')
    expect((await new HistoryStore(dir, loadReport, LIMITS).list()).problem).toMatch(/not valid JSON/)
    await fresh.add(fixtureReport())
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).entries).toHaveLength(1)
  })

  it('two sessions ending together both get an entry', async () => {
    const store = new HistoryStore(tempDir('history-race'), loadReport, LIMITS)
    await Promise.all([store.add(minimalReport()), store.add(minimalReport('join'))])
    expect((await store.list()).entries).toHaveLength(2)
  })

  it('historyEntry never keeps an invite or its secret, only how a host started', () => {
    const e = historyEntry('x', fixtureReport(), { mode: 'remote', url: 'https://signal.example.org/' })
    expect(JSON.stringify(e)).not.toMatch(/#|join\//)
    expect(historyEntry('x', minimalReport('join'), { mode: 'manual' }).again).toBeUndefined()
  })
})

describe('history through the IPC boundary and the session runner', () => {
  it('a finished session lands in the history before its end is said; list/open/remove go through zod', async () => {
    const dir = tempDir('history-ipc')
    const history = new HistoryStore(dir, loadReport, LIMITS)
    const events: AppEvent[] = []
    const engine: Engine = {
      runHost: async () => ({ report: fixtureReport(), result: result('host') }),
      runJoin: async () => ({ report: minimalReport('join'), result: result('join') }),
      discoverNat: async () => {
        throw new Error('unused')
      },
      defaultNatServers: []
    }
    const settings = new SettingsStore({ read: async () => undefined, write: async () => {} }, { available: () => false, encrypt: (s) => s, decrypt: (s) => s })
    let listedAtEnd: number | undefined
    const sessions = new Sessions({
      engine,
      history,
      settings: () => settings.get(),
      rememberHost: () => {},
      send: (e) => {
        events.push(e)
        if (e.type === 'session-end') void history.list().then((l) => (listedAtEnd = l.entries.length))
      }
    })
    const handlers = createHandlers({
      info: { name: 'peerlens', version: 't', platform: 'linux' },
      loadReport,
      redact: (r) => r,
      sessions,
      settings,
      renderers: { html: () => '', markdown: () => '' },
      dialogs: { save: async () => undefined, open: async () => undefined },
      files: { read: async () => '', write: async () => {} },
      clipboard: () => {},
      interfaces: () => [],
      history
    })
    const call = (method: string, params: unknown) => handleCall(handlers, () => true, { url: 'x', mainFrame: true }, { method, params })
    await call('host.start', { mode: 'manual' })
    await new Promise((r) => setTimeout(r, 50))
    expect(events.some((e) => e.type === 'session-end')).toBe(true)
    expect(listedAtEnd).toBe(1)
    const list = (await call('history.list', {})) as { ok: true; value: { entries: { id: string; again?: unknown }[] } }
    expect(list.value.entries[0]!.again).toEqual({ mode: 'manual' })
    const id = list.value.entries[0]!.id
    const opened = (await call('history.open', { id })) as { ok: true; value: { reportId: string; path: string } }
    expect(opened.ok).toBe(true)
    expect(opened.value.path).toBe(join(dir, `${id}.json`))
    expect(sessions.reports.get(opened.value.reportId).connection.verdict).toBe('relayed')
    expect(await call('history.open', { id: '../index' })).toEqual({ ok: false, error: 'refused: bad params for history.open: id: bad id' })
    expect(await call('history.open', { id, extra: 1 })).toMatchObject({ ok: false })
    expect(await call('history.remove', { id })).toEqual({ ok: true, value: { entries: [] } })
  })
})
