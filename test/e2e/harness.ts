// The desktop app without Electron: the built renderer served on loopback and opened in Debian's
// Chromium, with a `window.peerlens` bridge that goes through the same main-process code the
// preload reaches (handleCall -> handlers -> Sessions -> the real core).
import { createServer, type Server } from 'node:http'
import { readFile, readdir, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { handleCall } from '../../src/main/ipc'
import { createHandlers, type ReportRenderers } from '../../src/main/handlers'
import { Sessions, type Engine } from '../../src/main/sessionRunner'
import { SettingsStore, type SecretBox, type TextStorage } from '../../src/main/settings'
import { isTrustedSender } from '../../src/main/security'
import { HistoryStore } from '../../src/main/history'
import { MeshReader } from '../../src/main/mesh'
import { readGroupMatrix } from '../../src/core/agent/matrix'
import { loadReport } from '../../src/core/report/load'
import { redactReport } from '../../src/core/report/redact'
import { renderHtml } from '../../src/core/report/html'
import { renderMarkdown } from '../../src/core/report/markdown'
import type { AppEvent, SettingsPatch } from '../../src/shared/ipc'

/** The repository, the built renderer, where screenshots go, and Debian's Chromium. */
export const ROOT = resolve(import.meta.dirname, '../..')
export const OUT = join(ROOT, 'out/renderer')
export const SHOTS = join(ROOT, 'test-output/screenshots')
export const CHROMIUM = '/usr/bin/chromium'

/** The most recently modified file under `dir` (to tell whether the built renderer is older than its source). */
export async function newestFile(dir: string): Promise<string> {
  let best = { file: '', t: 0 }
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = join(dir, entry)
    const t = (await stat(file)).mtimeMs
    if (t > best.t) best = { file, t }
  }
  return best.file
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }

/** A static file server for out/renderer on 127.0.0.1. */
export async function serveDir(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(root, path === '/' ? 'index.html' : path)
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        res.end(body)
      },
      () => {
        res.writeHead(404)
        res.end()
      }
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

export async function isNewer(a: string, b: string): Promise<boolean> {
  try {
    return (await stat(a)).mtimeMs >= (await stat(b)).mtimeMs
  } catch {
    return false
  }
}

export class MemoryStorage implements TextStorage {
  written: string[] = []
  async read(): Promise<string | undefined> {
    return this.written.at(-1)
  }
  async write(text: string): Promise<void> {
    this.written.push(text)
  }
}

/** A stand-in keyring: reversible, and visibly not the plain text. */
export const fakeBox: SecretBox = {
  available: () => true,
  encrypt: (plain) => Buffer.from(plain, 'utf8').reverse().toString('base64'),
  decrypt: (cipher) => Buffer.from(cipher, 'base64').reverse().toString('utf8')
}

export interface FakeMain {
  sessions: Sessions
  settings: SettingsStore
  clipboard: string[]
  saved: string[]
  events: AppEvent[]
  close(): void
}

export interface AppOptions {
  engine: Engine
  settings?: SettingsPatch
  renderers?: ReportRenderers
  /** Where the save dialog "chooses" to write (a counter is added per save). */
  savePath: (name: string) => string
  openPath?: () => string | undefined
  /** A folder for the history of past sessions (src/main/history.ts); none: no history. */
  historyDir?: string
}

/**
 * One app window: a page with the bridge installed before the renderer loads. Events are pushed
 * in order through one promise chain, as webContents.send would deliver them.
 */
export async function openApp(browser: Browser, base: string, o: AppOptions, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; main: FakeMain }> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const settings = new SettingsStore(new MemoryStorage(), fakeBox)
  // Tests never leave the machine: every app is offline unless a test says otherwise.
  await settings.update({ offline: true, ...o.settings })
  const events: AppEvent[] = []
  let chain: Promise<unknown> = Promise.resolve()
  let closed = false
  const send = (event: AppEvent): void => {
    events.push(event)
    chain = chain.then(() => (closed ? undefined : page.evaluate((e) => (globalThis as unknown as { __peerlensEmit: (e: unknown) => void }).__peerlensEmit(e), event).catch(() => {})))
  }
  const history = o.historyDir ? new HistoryStore(o.historyDir, loadReport) : undefined
  const sessions = new Sessions({ engine: o.engine, history, send, settings: () => settings.get(), rememberHost: async (lastHost) => void (await settings.update({ lastHost })), timeoutMs: 30_000 })
  const clipboard: string[] = []
  const saved: string[] = []
  const { writeFile } = await import('node:fs/promises')
  const handlers = createHandlers({
    info: { name: 'peerlens', version: 'test', platform: process.platform },
    sessions,
    settings,
    loadReport,
    redact: redactReport,
    renderers: o.renderers ?? { html: renderHtml, markdown: renderMarkdown },
    dialogs: {
      save: async (name) => o.savePath(name),
      open: async () => o.openPath?.()
    },
    files: {
      read: (p) => readFile(p, 'utf8'),
      write: async (p, text) => {
        await writeFile(p, text)
        saved.push(p)
      }
    },
    clipboard: (text) => void clipboard.push(text),
    history,
    mesh: new MeshReader(readGroupMatrix),
    interfaces: () => [
      { name: 'eth0', address: '192.0.2.10', family: 4, internal: false, vpnLike: false },
      { name: 'wt0', address: '100.64.0.7', family: 4, internal: false, vpnLike: true }
    ]
  })
  await page.exposeBinding('__peerlensCall', (source, message: unknown) =>
    handleCall(handlers, (s) => isTrustedSender({ devUrl: base }, s), { url: source.frame.url(), mainFrame: source.frame === source.page.mainFrame() }, message)
  )
  await page.addInitScript(() => {
    const listeners = new Set<(e: unknown) => void>()
    const w = globalThis as unknown as Record<string, unknown>
    const call = w['__peerlensCall'] as (m: unknown) => Promise<{ ok: boolean; value?: unknown; error?: string }>
    w['__peerlensEmit'] = (e: unknown) => listeners.forEach((l) => l(e))
    w['peerlens'] = {
      call: async (method: string, params: unknown) => {
        const r = await call({ method, params })
        if (!r.ok) throw new Error(r.error)
        return r.value
      },
      onEvent: (l: (e: unknown) => void) => {
        listeners.add(l)
        return () => listeners.delete(l)
      }
    }
  })
  await page.goto(base)
  return {
    page,
    main: {
      sessions,
      settings,
      clipboard,
      saved,
      events,
      close: () => {
        closed = true
      }
    }
  }
}
