import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { allowNavigation, allowPermission, isTrustedSender, RENDERER_CSP, windowOpenHandler, windowOptions } from '../../src/main/security'

const ROOT = resolve(import.meta.dirname, '../..')

describe('Electron security checklist', () => {
  it('isolates and sandboxes the renderer, with no Node in it', () => {
    const w = windowOptions('/app/out/preload/index.cjs').webPreferences!
    expect(w.contextIsolation).toBe(true)
    expect(w.sandbox).toBe(true)
    expect(w.nodeIntegration).toBe(false)
    expect(w.nodeIntegrationInWorker).toBe(false)
    expect(w.nodeIntegrationInSubFrames).toBe(false)
    expect(w.webSecurity).toBe(true)
    expect(w.allowRunningInsecureContent).toBe(false)
    expect(w.webviewTag).toBe(false)
    expect(w.navigateOnDragDrop).toBe(false)
    expect(w.preload).toBe('/app/out/preload/index.cjs')
  })

  it('has a strict Content-Security-Policy', () => {
    const directives = new Map(RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/) as [string, ...string[]]).map(([k, ...v]) => [k, v.join(' ')]))
    expect(directives.get('default-src')).toBe("'none'")
    expect(directives.get('script-src')).toBe("'self'")
    expect(directives.get('style-src')).toBe("'self'")
    expect(directives.get('connect-src')).toBe("'none'")
    expect(directives.get('object-src')).toBe("'none'")
    expect(directives.get('frame-ancestors')).toBe("'none'")
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })

  it.runIf(existsSync(resolve(ROOT, 'out/renderer/index.html')))('writes that policy into the built page, and the page loads nothing remote', () => {
    const html = readFileSync(resolve(ROOT, 'out/renderer/index.html'), 'utf8').replace(/&#39;/g, "'")
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}">`)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/)
  })

  it.runIf(existsSync(resolve(ROOT, 'out/preload/index.cjs')))('bundles the sandboxed preload: it requires nothing but electron', () => {
    const preload = readFileSync(resolve(ROOT, 'out/preload/index.cjs'), 'utf8')
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
  })

  it('trusts only our own page in the main frame', () => {
    const built = { indexFile: '/app/out/renderer/index.html' }
    expect(isTrustedSender(built, { url: 'file:///app/out/renderer/index.html', mainFrame: true })).toBe(true)
    expect(isTrustedSender(built, { url: 'file:///app/out/renderer/index.html#x', mainFrame: true })).toBe(true)
    expect(isTrustedSender(built, { url: 'file:///app/out/renderer/index.html', mainFrame: false })).toBe(false)
    expect(isTrustedSender(built, { url: 'file:///tmp/evil.html', mainFrame: true })).toBe(false)
    expect(isTrustedSender(built, { url: 'https://evil.example/', mainFrame: true })).toBe(false)
    expect(isTrustedSender(built, { url: 'not a url', mainFrame: true })).toBe(false)
    const dev = { devUrl: 'http://localhost:5173/' }
    expect(isTrustedSender(dev, { url: 'http://localhost:5173/index.html', mainFrame: true })).toBe(true)
    expect(isTrustedSender(dev, { url: 'http://localhost:5174/', mainFrame: true })).toBe(false)
    expect(isTrustedSender({}, { url: 'file:///app/out/renderer/index.html', mainFrame: true })).toBe(false)
  })

  it('denies navigation, new windows and permissions', () => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:8080/join/r#s']) expect(allowNavigation(url)).toBe(false)
    expect(windowOpenHandler()).toEqual({ action: 'deny' })
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(allowPermission(p)).toBe(false)
  })
})
