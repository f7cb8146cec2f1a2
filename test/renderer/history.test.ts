// Past sessions on Home, "run again" said honestly, and the Compare screen's state.
import { describe, expect, it } from 'vitest'
import { createAppStore } from '../../src/renderer/src/store/app'
import { againView, compareOrder, historyRows } from '../../src/renderer/src/model/history'
import type { HistoryEntry } from '../../src/shared/ipc'
import { report as fixtureReport } from './fixtures'
import { fakeBridge } from './bridge'

const host: HistoryEntry = { id: 'h1', createdAt: '2026-11-25T09:00:06.000Z', role: 'host', verdict: 'relayed', reason: 'r', peer: 'bob-laptop', networks: ['eth0 192.168.1.20', 'public 81.2.69.142'], again: { mode: 'embedded', host: '0.0.0.0', port: 8080 } }
const join: HistoryEntry = { id: 'j1', createdAt: '2026-11-26T09:00:06.000Z', role: 'join', verdict: 'direct', reason: 'r', peer: 'alice-laptop', networks: [] }

describe('history rows', () => {
  it('say the verdict, the other side, the networks and the time', () => {
    expect(historyRows([host, join])).toMatchObject([
      { when: '2026-11-25 09:00:06 UTC', verdict: 'relayed', tone: 'relayed', peer: 'bob-laptop', networks: 'eth0 192.168.1.20, public 81.2.69.142', role: 'host' },
      { verdict: 'direct', networks: 'not known', role: 'joiner' }
    ])
  })

  it('run again: a host hosts again and must send the new invite; a joiner asks for a new invite', () => {
    expect(againView(host)).toEqual({ kind: 'host', label: 'Host again', note: expect.stringMatching(/new invite: send it to bob-laptop again \(an invite serves one session\)/) })
    expect(againView(join)).toEqual({ kind: 'ask', note: 'To run again, ask alice-laptop (the host) for a new invite: the old one closed with its session.' })
  })

  it('the older of two sessions is "before"', () => {
    expect(compareOrder([host, join], 'j1', 'h1')).toEqual(['h1', 'j1'])
  })
})

describe('store: history and compare', () => {
  it('loads the history at start, opens a past session as a report, compares two past sessions', async () => {
    const before = fixtureReport()
    before.connection = { ...before.connection, verdict: 'relayed' }
    const after = fixtureReport()
    const b = fakeBridge({
      'history.list': () => ({ entries: [join, host] }),
      'history.open': (p) => ({ reportId: 'r-' + (p as { id: string }).id, path: `/data/history/${(p as { id: string }).id}.json`, report: (p as { id: string }).id === 'h1' ? before : after })
    })
    const store = createAppStore(b)
    await store.getState().init()
    expect(store.getState().history.entries.map((e) => e.id)).toEqual(['j1', 'h1'])
    await store.getState().openPast('h1')
    expect(store.getState().screen).toBe('session')
    expect(store.getState().session).toMatchObject({ reportId: 'r-h1', openedFrom: '/data/history/h1.json' })
    await store.getState().compareEntries('j1', 'h1')
    expect(store.getState().screen).toBe('compare')
    expect(store.getState().compare.before!.report.connection.verdict).toBe('relayed')
    expect(store.getState().compare.after!.report.connection.verdict).toBe('direct')
    store.getState().swapCompare()
    expect(store.getState().compare.before!.report.connection.verdict).toBe('direct')
  })

  it('a damaged past session is a one-line error, not a crash', async () => {
    const b = fakeBridge({
      'history.list': () => ({ entries: [host] }),
      'history.open': () => {
        throw new Error('this past session cannot be opened: the report is truncated (the JSON stops early)')
      }
    })
    const store = createAppStore(b)
    await store.getState().init()
    await store.getState().openPast('h1')
    expect(store.getState().notice).toEqual({ text: 'this past session cannot be opened: the report is truncated (the JSON stops early)', tone: 'error' })
    await store.getState().pickCompare('before', 'h1')
    expect(store.getState().compare.error).toMatch(/cannot be opened/)
  })
})
