import { describe, expect, it } from 'vitest'
import { createHandlers, defaultReportName, renderReport, type HandlerContext } from '../../src/main/handlers'
import { Sessions } from '../../src/main/sessionRunner'
import { DEFAULT_SETTINGS, SettingsStore } from '../../src/main/settings'
import { loadReport } from '../../src/core/report/load'
import type { Report } from '../../src/shared/report'
import { report, scriptedEngine } from './fakes'

function setup(over: Partial<HandlerContext> = {}) {
  const files = new Map<string, string>()
  const clipboard: string[] = []
  const sessions = new Sessions({ engine: scriptedEngine(), send: () => {}, settings: () => DEFAULT_SETTINGS, rememberHost: () => {} })
  const ctx: HandlerContext = {
    info: { name: 'peerlens', version: '0', platform: 'linux' },
    loadReport,
    redact: (r: Report) => ({ ...r, redaction: { publicAddresses: 0, note: 'redacted' } }) as Report,
    sessions,
    settings: new SettingsStore({ read: async () => undefined, write: async () => {} }, { available: () => false, encrypt: () => '', decrypt: () => '' }),
    renderers: { html: (r) => `<p>${r.connection.verdict}</p>`, markdown: (r) => `# ${r.connection.verdict}` },
    dialogs: { save: async (name) => `/reports/${name}`, open: async () => '/reports/in.json' },
    files: { read: async (p) => files.get(p) ?? Promise.reject(new Error('ENOENT')), write: async (p, t) => void files.set(p, t) },
    clipboard: (t) => void clipboard.push(t),
    interfaces: () => [],
    ...over
  }
  return { handlers: createHandlers(ctx), files, clipboard, sessions }
}

describe('IPC handlers', () => {
  it('saves a report where the dialog says, as JSON, redacted on request', async () => {
    const { handlers, files, sessions } = setup()
    const reportId = sessions.reports.add(report())
    const saved = await handlers['report.save']({ reportId, format: 'json' })
    expect(saved).toEqual({ path: '/reports/peerlens-host-2026-11-25T10-00-01Z.json' })
    expect(JSON.parse(files.get(saved!.path)!).schema).toBe('peerlens.report/v1')
    const redacted = await handlers['report.save']({ reportId, format: 'json', redact: true })
    expect(redacted!.path).toMatch(/-redacted\.json$/)
    expect(JSON.parse(files.get(redacted!.path)!).redaction.note).toBe('redacted')
  })

  it('writes nothing when the save dialog is cancelled', async () => {
    const { handlers, files, sessions } = setup({ dialogs: { save: async () => undefined, open: async () => undefined } })
    const reportId = sessions.reports.add(report())
    expect(await handlers['report.save']({ reportId, format: 'json' })).toBeNull()
    expect(files.size).toBe(0)
    expect(await handlers['report.open']({})).toBeNull()
  })

  it('offers JSON, HTML and Markdown, each rendered by the report module', async () => {
    const { handlers, sessions } = setup()
    expect(await handlers['report.formats']({})).toEqual(['json', 'html', 'markdown'])
    const reportId = sessions.reports.add(report())
    expect(await handlers['report.render']({ reportId, format: 'html' })).toBe('<p>direct</p>')
    expect(renderReport(report(), 'markdown', { html: () => '', markdown: (r) => `# ${r.connection.verdict}` })).toBe('# direct')
  })

  it('opens a saved report and refuses a broken one with one line', async () => {
    const { handlers, files } = setup()
    files.set('/reports/in.json', JSON.stringify(report()))
    const opened = await handlers['report.open']({})
    expect(opened?.report.connection.verdict).toBe('direct')
    files.set('/reports/in.json', '{"schema":"peerlens.report/v1", "sides": [')
    await expect(handlers['report.open']({})).rejects.toThrow(/truncated/)
    files.delete('/reports/in.json')
    await expect(handlers['report.open']({})).rejects.toThrow(/cannot read/)
  })

  it('copies to the clipboard and never shows the TURN password', async () => {
    const { handlers, clipboard } = setup()
    await handlers['clipboard.write']({ text: 'summary' })
    expect(clipboard).toEqual(['summary'])
    const view = await handlers['settings.set']({ turnPassword: 'secret-pass' })
    expect(JSON.stringify(view)).not.toContain('secret-pass')
    expect(JSON.stringify(await handlers['settings.get']({}))).not.toContain('secret-pass')
  })

  it('names report files by side and time', () => {
    expect(defaultReportName(report('join'), 'markdown')).toBe('peerlens-join-2026-11-25T10-00-01Z.md')
  })
})
