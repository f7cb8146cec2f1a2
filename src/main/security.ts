// The Electron security checklist as plain data and functions, so tests can assert each item
// without starting Electron. index.ts applies them.
import type { BrowserWindowConstructorOptions } from 'electron'
import { pathToFileURL } from 'node:url'

/**
 * The renderer's Content-Security-Policy: our own scripts and styles only, no inline script, no
 * network (the renderer talks to the core over IPC, never over HTTP), no frames, no plugins.
 * Injected into the built index.html by electron.vite.config.ts; `npm run dev` gets a looser one
 * because Vite's dev server needs inline styles and a websocket.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export const DEV_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws:"

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'peerlens',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false
    }
  }
}

/** The URLs our own renderer is loaded from: the built file, or the dev server in `npm run dev`. */
export interface RendererOrigin {
  indexFile?: string
  devUrl?: string
}

/** Only our own page, in the window's main frame, may call the main process. */
export function isTrustedSender(origin: RendererOrigin, sender: { url: string; mainFrame: boolean }): boolean {
  if (!sender.mainFrame) return false
  let url: URL
  try {
    url = new URL(sender.url)
  } catch {
    return false
  }
  if (origin.indexFile && url.protocol === 'file:') {
    return url.pathname === pathToFileURL(origin.indexFile).pathname
  }
  if (origin.devUrl) {
    const dev = new URL(origin.devUrl)
    return url.origin === dev.origin
  }
  return false
}

/** The app is one page: every navigation away from it is refused (links, drops, redirects). */
export function allowNavigation(_url: string): boolean {
  return false
}

/** window.open and target=_blank never open anything. */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' }
}

/** Camera, microphone, notifications, geolocation...: the app needs none of them. */
export function allowPermission(_permission: string): boolean {
  return false
}
