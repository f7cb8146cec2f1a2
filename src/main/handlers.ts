// What each IPC method does, given the services it needs. No Electron import: index.ts passes
// real dialogs, files and clipboard; tests and the e2e bridge pass their own.
import type { Handlers } from './ipc'
import type { Sessions } from './sessionRunner'
import type { SettingsStore } from './settings'
import { serverProblems } from './serverFields'
import type { HistoryStore } from './history'
import type { MeshReader } from './mesh'
import type { AppInfo, ReportFormat } from '../shared/ipc'
import type { Report } from '../shared/report'
import type { InterfaceAddressInfo } from '../shared/net'

/** Renderings from the report module (src/core/report); JSON needs none. */
export type ReportRenderers = Record<Exclude<ReportFormat, 'json'>, (report: Report) => string>

export interface Dialogs {
  /** A path to save to, or undefined when the user cancelled. */
  save(defaultName: string, format: ReportFormat): Promise<string | undefined>
  open(): Promise<string | undefined>
}

export interface Files {
  read(path: string): Promise<string>
  write(path: string, text: string): Promise<void>
}

export interface HandlerContext {
  info: AppInfo
  /** Parses a saved report, or throws with one line saying why not (core's loadReport). */
  loadReport: (text: string) => Report
  /** A copy fit for sharing: public addresses replaced, credentials gone (core's redactReport). */
  redact: (report: Report) => Report
  sessions: Sessions
  settings: SettingsStore
  renderers: ReportRenderers
  dialogs: Dialogs
  files: Files
  clipboard: (text: string) => void
  interfaces: () => InterfaceAddressInfo[]
  /** Past sessions (src/main/history.ts); without it the history is empty. */
  history?: Pick<HistoryStore, 'list' | 'open' | 'remove'>
  /** The Mesh screen's reader (src/main/mesh.ts); without it the screen says so. */
  mesh?: Pick<MeshReader, 'matrix'>
}

export const EXTENSIONS: Record<ReportFormat, string> = { json: 'json', html: 'html', markdown: 'md' }

export function renderReport(report: Report, format: ReportFormat, renderers: ReportRenderers): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n'
  return renderers[format](report)
}

/** A file name that sorts by time and says which side wrote it. */
export function defaultReportName(report: Report, format: ReportFormat, redacted = false): string {
  const stamp = report.createdAt.replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')
  return `peerlens-${report.writtenBy}-${stamp}${redacted ? '-redacted' : ''}.${EXTENSIONS[format]}`
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { sessions, settings } = ctx
  const pick = (reportId: string, redact: boolean | undefined): Report => {
    const report = sessions.reports.get(reportId)
    return redact ? ctx.redact(report) : report
  }
  return {
    'app.info': async () => ctx.info,
    'host.start': async (params) => sessions.startHost(params),
    'join.start': async ({ target }) => sessions.startJoin(target),
    'manual.answer': async ({ sessionId, blob }) => {
      sessions.answer(sessionId, blob)
      return null
    },
    'session.cancel': async ({ sessionId }) => {
      sessions.cancel(sessionId)
      return null
    },
    'nat.check': async () => sessions.checkNat(),
    'report.formats': async () => ['json', 'html', 'markdown'],
    'report.render': async ({ reportId, format, redact }) => renderReport(pick(reportId, redact), format, ctx.renderers),
    'report.save': async ({ reportId, format, redact }) => {
      const report = pick(reportId, redact)
      const text = renderReport(report, format, ctx.renderers)
      const path = await ctx.dialogs.save(defaultReportName(report, format, redact), format)
      if (!path) return null
      await ctx.files.write(path, text)
      return { path }
    },
    'report.open': async () => {
      const path = await ctx.dialogs.open()
      if (!path) return null
      let text: string
      try {
        text = await ctx.files.read(path)
      } catch (err) {
        throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err })
      }
      const report = ctx.loadReport(text)
      return { reportId: sessions.reports.add(report), path, report }
    },
    'clipboard.write': async ({ text }) => {
      ctx.clipboard(text)
      return null
    },
    'settings.get': async () => settings.view(),
    'settings.set': async (patch) => {
      const problems = serverProblems(patch)
      if (problems) throw new Error(problems)
      return settings.update(patch)
    },
    'net.interfaces': async () => ctx.interfaces(),
    'history.list': async () => (ctx.history ? ctx.history.list() : { entries: [] }),
    'history.open': async ({ id }) => {
      if (!ctx.history) throw new Error('there is no history in this window')
      const { report, path } = await ctx.history.open(id)
      return { reportId: sessions.reports.add(report), path, report }
    },
    'history.remove': async ({ id }) => (ctx.history ? ctx.history.remove(id) : { entries: [] }),
    'mesh.matrix': async (params) => {
      if (!ctx.mesh) throw new Error('the mesh matrix is not available in this window')
      return ctx.mesh.matrix(params)
    }
  }
}
