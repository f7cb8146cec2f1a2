// The app's one store (zustand): which screen is up, the session, NAT checks, settings. Actions
// call the main process through the bridge; pushed events come in through handleEvent.
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AppEvent, HostStartParams, MenuAction, PeerlensBridge, ReportFormat, SettingsPatch, SettingsView } from '../../../shared/ipc'
import type { NatResult } from '../../../shared/nat'
import { applyEnd, applyRunEvent, MAX_EVENTS, newSession, sessionFromReport, type LiveSession, type NatSummary } from '../model/liveSession'
import { applyNatError, applyNatProgress, applyNatResult, IDLE_NAT, natOf, type NatState } from '../model/nat'
import { summaryText } from '../model/summary'
import { historySlice, type HistoryState } from './history'

export type Screen = 'home' | 'session' | 'nat' | 'settings' | 'compare' | 'mesh'

export interface AppState extends HistoryState {
  screen: Screen
  session: LiveSession | undefined
  /** This machine's NAT: from "Check my NAT" or the check that runs beside a session. */
  nat: NatState
  formats: ReportFormat[]
  settings: SettingsView | undefined
  /** One line: what just happened or what went wrong; at the top, or in the export panel for saves. */
  notice: { text: string; tone: 'info' | 'error'; where?: 'export' } | undefined
  busy: boolean
  /** What started the last session, for Retry on its error screen. */
  lastStart: { role: 'host'; params: HostStartParams } | { role: 'join'; target: string } | undefined

  init(): Promise<void>
  handleEvent(event: AppEvent): void
  go(screen: Screen): void
  host(params: HostStartParams): Promise<void>
  join(target: string): Promise<void>
  answer(blob: string): Promise<void>
  cancel(): Promise<void>
  retry(): Promise<void>
  checkNat(): Promise<void>
  openReport(): Promise<void>
  saveReport(format: ReportFormat, redact?: boolean): Promise<void>
  copy(text: string, what: string): Promise<void>
  copySummary(): Promise<void>
  /** Resolves to '' when saved, else the one-line error (also naming the fields it is about). */
  saveSettings(patch: SettingsPatch): Promise<string>
  dismissNotice(): void
}

export type AppStore = StoreApi<AppState>

/** The other side's NAT: the full result from the report, else the summary exchanged live. */
export function remoteNat(s: LiveSession | undefined): NatResult | NatSummary | undefined {
  if (!s) return undefined
  const other = s.role === 'host' ? 'join' : 'host'
  return natOf(s.report?.sides.find((side) => side.role === other)) ?? s.nat[other]
}

/** This side's NAT: the report's, the session's live one, or a "Check my NAT" result. */
export function localNat(state: Pick<AppState, 'session' | 'nat'>): NatResult | NatSummary | undefined {
  const s = state.session
  if (!s) return state.nat.result
  return natOf(s.report?.sides.find((side) => side.role === s.role)) ?? s.nat[s.role] ?? state.nat.result
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function createAppStore(bridge: PeerlensBridge): AppStore {
  return createStore<AppState>()((set, get) => {
    const fail = (err: unknown): void => set({ notice: { text: message(err), tone: 'error' }, busy: false })
    const info = (text: string): void => set({ notice: { text, tone: 'info' } })

    const menu = (action: MenuAction): void => {
      const s = get()
      if (action === 'home') s.go('home')
      else if (action === 'settings') s.go('settings')
      else if (action === 'open-report') void s.openReport()
      else if (action === 'check-nat') void s.checkNat()
      else if (action === 'export' && s.session?.reportId) void s.saveReport('json')
    }

    // Events of a session whose start has not been answered yet: an early failure (a damaged blob,
    // an unreachable server, a port in use) can beat the reply to host.start / join.start.
    let early: Extract<AppEvent, { type: 'run' | 'session-end' }>[] = []
    let starting = false

    const start = async (role: 'host' | 'join', run: () => Promise<{ sessionId: string }>): Promise<void> => {
      if (get().busy) return
      set({ busy: true, notice: undefined, nat: IDLE_NAT })
      starting = true
      early = []
      try {
        const { sessionId } = await run()
        let session = get().session?.sessionId === sessionId ? get().session! : { ...newSession(sessionId, role), startedAt: Date.now() }
        for (const e of early) if (e.sessionId === sessionId) session = e.type === 'run' ? applyRunEvent(session, e.event) : applyEnd(session, e.end)
        set({ session, screen: 'session', busy: false })
      } catch (err) {
        fail(err)
      } finally {
        starting = false
        early = []
      }
    }

    return {
      ...historySlice(bridge, set, get),
      screen: 'home',
      session: undefined,
      nat: IDLE_NAT,
      formats: ['json'],
      settings: undefined,
      notice: undefined,
      busy: false,

      async init() {
        try {
          const [formats, settings] = await Promise.all([bridge.call('report.formats', {}), bridge.call('settings.get', {})])
          set({ formats, settings })
        } catch (err) {
          fail(err)
        }
        await get().loadHistory()
      },

      handleEvent(event) {
        const s = get()
        switch (event.type) {
          case 'run': {
            if (starting && s.session?.sessionId !== event.sessionId) {
              if (early.length < MAX_EVENTS) early.push(event)
              return
            }
            // A session started elsewhere (not by this window's Host/Join): start it here then.
            const idle = !s.session || s.session.end !== undefined || s.session.openedFrom !== undefined
            const current = s.session?.sessionId === event.sessionId ? s.session : idle ? newSession(event.sessionId, event.role) : undefined
            if (!current) return
            set({ session: applyRunEvent(current, event.event) })
            return
          }
          case 'session-end':
            if (s.session?.sessionId === event.sessionId) set({ session: applyEnd(s.session, event.end) })
            else if (starting) early.push(event)
            // The main process kept the report in the history before saying the session ended.
            if (event.end.ok) void get().loadHistory()
            return
          case 'nat-progress':
            set({ nat: applyNatProgress(s.nat, event.checkId, event.progress) })
            return
          case 'nat-result':
            set({ nat: applyNatResult(s.nat, event.checkId, event.result) })
            return
          case 'nat-error':
            set({ nat: applyNatError(s.nat, event.checkId, event.error) })
            return
          case 'menu':
            menu(event.action)
        }
      },

      go(screen) {
        set({ screen, notice: undefined })
        if (screen === 'home') void get().loadHistory()
      },

      lastStart: undefined,

      host: (params) => {
        set({ lastStart: { role: 'host', params } })
        return start('host', () => bridge.call('host.start', params))
      },
      join: (target) => {
        set({ lastStart: { role: 'join', target } })
        return start('join', () => bridge.call('join.start', { target }))
      },

      async retry() {
        const last = get().lastStart
        if (!last) return get().go('home')
        await (last.role === 'host' ? get().host(last.params) : get().join(last.target))
      },

      async answer(blob) {
        const s = get().session
        if (!s) return
        try {
          await bridge.call('manual.answer', { sessionId: s.sessionId, blob })
          const now = get().session
          if (now?.sessionId === s.sessionId) set({ session: { ...now, answered: true } })
          info('answer received: connecting')
        } catch (err) {
          fail(err)
        }
      },

      async cancel() {
        const s = get().session
        if (!s || s.end || s.openedFrom) return
        try {
          await bridge.call('session.cancel', { sessionId: s.sessionId })
        } catch (err) {
          fail(err)
        }
      },

      async checkNat() {
        set({ screen: 'nat', nat: { ...IDLE_NAT, status: 'running' }, notice: undefined })
        try {
          const result = await bridge.call('nat.check', {})
          // The result event normally got here first; this covers a lost event.
          if (get().nat.status !== 'done') set({ nat: { ...get().nat, status: 'done', running: [], result, tests: result.tests } })
        } catch (err) {
          set({ nat: applyNatError(get().nat, get().nat.checkId ?? '', message(err)) })
        }
      },

      async openReport() {
        try {
          const opened = await bridge.call('report.open', {})
          if (!opened) return
          set({ session: sessionFromReport(opened.report, opened.reportId, opened.path), screen: 'session', nat: IDLE_NAT })
          info(`opened ${opened.path}`)
        } catch (err) {
          fail(err)
        }
      },

      async saveReport(format, redact = false) {
        const id = get().session?.reportId
        if (!id) return
        try {
          const saved = await bridge.call('report.save', { reportId: id, format, redact })
          if (saved) set({ notice: { text: `saved ${saved.path}`, tone: 'info', where: 'export' } })
        } catch (err) {
          set({ notice: { text: message(err), tone: 'error', where: 'export' } })
        }
      },

      async copy(text, what) {
        try {
          await bridge.call('clipboard.write', { text })
          info(`${what} copied`)
        } catch (err) {
          fail(err)
        }
      },

      async copySummary() {
        const s = get().session
        if (!s) return
        // The report module's Markdown summary when there is a report; our own lines before that.
        if (s.reportId && get().formats.includes('markdown')) {
          try {
            const text = await bridge.call('report.render', { reportId: s.reportId, format: 'markdown' })
            return await get().copy(text, 'summary')
          } catch (err) {
            return fail(err)
          }
        }
        await get().copy(summaryText(s, localNat(get()), remoteNat(s)), 'summary')
      },

      async saveSettings(patch) {
        try {
          const settings = await bridge.call('settings.set', patch)
          set({ settings })
          info('settings saved')
          return ''
        } catch (err) {
          set({ notice: { text: 'settings not saved: fix the fields marked below', tone: 'error' } })
          return message(err)
        }
      },

      dismissNotice() {
        set({ notice: undefined })
      }
    }
  })
}
