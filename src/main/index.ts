// The Electron shell: one window, the core behind a validated IPC boundary, native menus,
// dialogs and settings. Everything testable lives in the modules it wires together.
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, safeStorage, session, type WebContents } from 'electron'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runHost } from '../core/run/host'
import { readJoinPageAssets } from '../core/signaling/joinPage'
import { runJoin } from '../core/run/join'
import { discoverNat } from '../core/nat/discover'
import { DEFAULT_NAT_SERVERS } from '../core/nat/defaultServers'
import { localAddresses } from '../core/net/interfaces'
import { loadReport } from '../core/report/load'
import { redactReport } from '../core/report/redact'
import { renderHtml } from '../core/report/html'
import { renderMarkdown } from '../core/report/markdown'
import { APP_NAME, APP_VERSION } from '../core/version'
import { CALL_CHANNEL, EVENT_CHANNEL, type AppEvent, type ReportFormat } from '../shared/ipc'
import { handleCall } from './ipc'
import { createHandlers, EXTENSIONS } from './handlers'
import { Sessions } from './sessionRunner'
import { SettingsStore, keyringBox, type TextStorage } from './settings'
import { allowNavigation, allowPermission, isTrustedSender, windowOpenHandler, windowOptions, type RendererOrigin } from './security'
import { menuTemplate } from './menu'
import { HistoryStore } from './history'
import { MeshReader } from './mesh'
import { readGroupMatrix } from '../core/agent/matrix'

const devUrl = process.env['ELECTRON_RENDERER_URL']
const indexFile = join(import.meta.dirname, '../renderer/index.html')
const origin: RendererOrigin = devUrl ? { devUrl } : { indexFile }

let win: BrowserWindow | undefined

function send(event: AppEvent): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event)
}

function fileStorage(path: string): TextStorage {
  return {
    read: async () => {
      try {
        return await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw err
      }
    },
    // Write then rename: a crash mid-write never leaves half a settings file.
    write: async (text) => {
      try {
        await writeFile(path + '.tmp', text, { mode: 0o600 })
        await rename(path + '.tmp', path)
      } catch (err) {
        await unlink(path + '.tmp').catch(() => {})
        throw err
      }
    }
  }
}

// Available only where the keyring really encrypts (not Linux's fixed-key 'basic_text').
const keyring = keyringBox(safeStorage)

const FILTERS: Record<ReportFormat, Electron.FileFilter> = {
  json: { name: 'peerlens report (JSON)', extensions: [EXTENSIONS.json] },
  html: { name: 'HTML report', extensions: [EXTENSIONS.html] },
  markdown: { name: 'Markdown summary', extensions: [EXTENSIONS.markdown] }
}

/** Every web contents, present and future: no navigation, no popups, no webviews. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => {
    if (!allowNavigation(url)) e.preventDefault()
  })
  contents.on('will-redirect', (e, url) => {
    if (!allowNavigation(url)) e.preventDefault()
  })
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.setWindowOpenHandler(windowOpenHandler)
}

async function main(): Promise<void> {
  await app.whenReady()
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)))
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission))

  const settings = new SettingsStore(fileStorage(join(app.getPath('userData'), 'settings.json')), keyring)
  await settings.load()
  if (settings.loadProblem) console.warn(`peerlens: ${settings.loadProblem}`)

  const history = new HistoryStore(join(app.getPath('userData'), 'history'), loadReport)
  const sessions = new Sessions({
    history,
    engine: { runHost, runJoin, discoverNat, defaultNatServers: DEFAULT_NAT_SERVERS },
    send,
    settings: () => settings.get(),
    rememberHost: async (lastHost) => void (await settings.update({ lastHost })),
    // Packaged beside out/main (electron-builder.yml lists out/joinpage/**), built by `npm run build:cli`.
    joinPage: await readJoinPageAssets(join(import.meta.dirname, '../joinpage'))
  })
  const handlers = createHandlers({
    info: { name: APP_NAME, version: APP_VERSION, platform: process.platform },
    sessions,
    settings,
    loadReport,
    redact: redactReport,
    renderers: { html: renderHtml, markdown: renderMarkdown },
    dialogs: {
      save: async (defaultName, format) => {
        const r = await dialog.showSaveDialog(win!, { title: 'Export report', defaultPath: defaultName, filters: [FILTERS[format]] })
        return r.canceled ? undefined : r.filePath
      },
      open: async () => {
        const r = await dialog.showOpenDialog(win!, { title: 'Open report', properties: ['openFile'], filters: [FILTERS.json] })
        return r.canceled ? undefined : r.filePaths[0]
      }
    },
    files: { read: (p) => readFile(p, 'utf8'), write: (p, text) => writeFile(p, text) },
    clipboard: (text) => clipboard.writeText(text),
    interfaces: localAddresses,
    history,
    mesh: new MeshReader(readGroupMatrix)
  })

  ipcMain.handle(CALL_CHANNEL, (event, message: unknown) => {
    // A frame without a parent is the top frame; a destroyed frame (null) is never trusted.
    const frame = event.senderFrame
    const sender = { url: frame?.url ?? '', mainFrame: Boolean(frame) && frame!.parent === null && event.sender === win?.webContents }
    return handleCall(handlers, (s) => isTrustedSender(origin, s), sender, message)
  })

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate((action) => send({ type: 'menu', action }), { isMac: process.platform === 'darwin', dev: Boolean(devUrl) })))

  win = new BrowserWindow(windowOptions(join(import.meta.dirname, '../preload/index.cjs')))
  win.once('ready-to-show', () => win?.show())
  if (devUrl) await win.loadURL(devUrl)
  else await win.loadFile(indexFile)
}

app.on('web-contents-created', (_e, contents) => harden(contents))
app.on('window-all-closed', () => app.quit())
main().catch((err: unknown) => {
  console.error('peerlens failed to start:', err)
  app.exit(1)
})
