// End to end: the built renderer in Debian's Chromium, two windows (host and join) driven by
// clicks, each backed by the real core in this process through the main-process IPC handlers.
// Only loopback: the embedded signaling server listens on 127.0.0.1, STUN is the host's own
// responder, NAT discovery asks a scripted RFC 5780 server on 127.0.0.1/127.0.0.2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { runHost } from '../../src/core/run/host'
import { runJoin } from '../../src/core/run/join'
import { discoverNat } from '../../src/core/nat/discover'
import type { Engine } from '../../src/main/sessionRunner'
import { startFakeServer, type FakeServer } from '../core/nat/fakeServer'
import { CHROMIUM, CHROMIUM_ARGS, isNewer, newestFile, openApp, OUT, ROOT, serveDir, SHOTS } from './harness'

const SAVED = join(ROOT, 'test-output/e2e')

const skip = !existsSync(CHROMIUM)
let browser: Browser
let site: { url: string; close: () => Promise<void> }
let fake: FakeServer

describe.skipIf(skip)('the app in Chromium against the real core', () => {
  beforeAll(async () => {
    // `npm test` builds first; a lone run rebuilds when the renderer's sources are newer.
    if (!(await isNewer(join(OUT, 'index.html'), await newestFile(join(ROOT, 'src/renderer'))))) {
      execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
    }
    await mkdir(SHOTS, { recursive: true })
    await mkdir(SAVED, { recursive: true })
    site = await serveDir(OUT)
    fake = await startFakeServer()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await fake?.close()
  })

  const engine = (): Engine => ({ runHost, runJoin, discoverNat, defaultNatServers: [] })
  let n = 0
  const savePath = (name: string): string => join(SAVED, `${++n}-${name}`)
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

  it('goes from Host and Join to a verdict on both dashboards and exports the report', async () => {
    const settings = { natServers: [fake.url], lastHost: '127.0.0.1:0' }
    const host = await openApp(browser, site.url, { engine: engine(), settings, savePath })
    const join = await openApp(browser, site.url, { engine: engine(), settings, savePath })
    try {
      await host.page.getByTestId('host-button').waitFor()
      await shot(host.page, '01-home')

      await host.page.getByLabel('Listen address').fill('127.0.0.1:0')
      await host.page.getByTestId('host-button').click()
      const inviteEl = host.page.getByTestId('invite')
      await inviteEl.waitFor({ timeout: 10_000 })
      const invite = (await inviteEl.textContent())!.trim()
      expect(invite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]+#\S+$/)
      await shot(host.page, '02-host-waiting')

      await join.page.getByTestId('join-input').fill(invite)
      await join.page.getByTestId('join-button').click()

      for (const { page } of [host, join]) {
        const verdict = page.getByTestId('verdict')
        await verdict.getByText('Direct connection').waitFor({ timeout: 40_000 })
        expect(await verdict.textContent()).toMatch(/Direct connection/)
        // Candidates on both sides, the selected pair highlighted, a direct path drawn.
        expect(await page.getByTestId('candidates-local').locator('tbody tr td .tag').count()).toBeGreaterThan(0)
        expect(await page.getByTestId('candidates-remote').locator('tbody tr td .tag').count()).toBeGreaterThan(0)
        expect(await page.getByTestId('pairs').locator('tr.selected').count()).toBe(1)
        expect(await page.getByTestId('path').textContent()).toMatch(/direct path/)
        // Both NAT cards fill in: each side discovers its own and the two exchange them.
        for (const card of ['nat-this side', 'nat-other side']) {
          const text = page.locator(`[data-testid^="${card}"]`)
          await expect.poll(() => text.textContent(), { timeout: 15_000 }).toMatch(/Mapping/)
        }
        await page.getByTestId('export').getByRole('button', { name: 'Save JSON report' }).waitFor()
      }
      await shot(host.page, '03-dashboard-host')
      await shot(join.page, '04-dashboard-join')

      // Export: the save "dialog" picks a path; the file is the report holding both sides.
      await host.page.getByRole('button', { name: 'Save JSON report' }).click()
      await host.page.getByText(/^saved /).waitFor({ timeout: 5_000 })
      const report = JSON.parse(await readFile(host.main.saved.at(-1)!, 'utf8'))
      expect(report.schema).toBe('peerlens.report/v1')
      expect(report.connection.verdict).toBe('direct')
      expect(report.sides.map((s: { role: string }) => s.role)).toEqual(['host', 'join'])

      await host.page.getByRole('button', { name: 'Save HTML report' }).click()
      await expect.poll(() => host.main.saved.at(-1) ?? '').toMatch(/\.html$/)
      expect(await readFile(host.main.saved.at(-1)!, 'utf8')).toMatch(/^<!doctype html>/i)
      await host.page.getByLabel(/Redact public addresses/).check()
      await host.page.getByRole('button', { name: 'Save Markdown summary' }).click()
      await expect.poll(() => host.main.saved.at(-1) ?? '').toMatch(/-redacted\.md$/)

      await join.page.getByRole('button', { name: 'Copy summary' }).click()
      await join.page.getByText('summary copied').waitFor()
      expect(join.main.clipboard.at(-1)).toMatch(/direct/i)

      // The same dashboard, dark and narrow.
      await host.page.emulateMedia({ colorScheme: 'dark' })
      await shot(host.page, '05-dashboard-dark')
      await join.page.setViewportSize({ width: 420, height: 800 })
      await shot(join.page, '06-dashboard-narrow')
    } finally {
      host.main.close()
      join.main.close()
      await host.page.context().close()
      await join.page.context().close()
    }
  }, 90_000)

  it('connects in manual mode by copying the offer and answer blobs between the windows', async () => {
    const host = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    const join = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    try {
      await host.page.getByLabel(/No server/).check()
      await host.page.getByTestId('host-button').click()
      const offer = host.page.getByRole('textbox', { name: 'Offer blob' })
      await expect.poll(() => offer.inputValue(), { timeout: 15_000 }).toMatch(/^PL1:/)
      await shot(host.page, '09-manual-offer')

      await join.page.getByTestId('join-input').fill(await offer.inputValue())
      await join.page.getByTestId('join-button').click()
      const answer = join.page.getByRole('textbox', { name: /Answer blob/ })
      await expect.poll(() => answer.inputValue(), { timeout: 15_000 }).toMatch(/^PL1:/)

      await host.page.getByRole('textbox', { name: /answer blob/ }).fill(await answer.inputValue())
      await host.page.getByRole('button', { name: 'Connect' }).click()
      for (const { page } of [host, join]) {
        await page.getByTestId('verdict').getByText('Direct connection').waitFor({ timeout: 40_000 })
        expect(await page.getByTestId('candidates-local').locator('tbody .tag').count()).toBeGreaterThan(0)
      }
    } finally {
      host.main.close()
      join.main.close()
      await host.page.context().close()
      await join.page.context().close()
    }
  }, 90_000)

  it('opens a saved report holding both NAT results, a prediction, attempts and path metrics', async () => {
    // The shapes of the diagnosis issue, filled in by hand around a real session's report.
    const saved = JSON.parse(await readFile(join(ROOT, 'test/e2e/sample-report.json'), 'utf8'))
    const { writeFile } = await import('node:fs/promises')
    const file = join(SAVED, 'sample-report.json')
    await writeFile(file, JSON.stringify(saved))
    const app = await openApp(browser, site.url, { engine: engine(), savePath, openPath: () => file })
    try {
      await app.page.getByRole('button', { name: 'Open report…' }).click()
      const verdict = app.page.getByTestId('verdict')
      await verdict.getByText('Relayed through TURN').waitFor()
      expect(await app.page.getByTestId('prediction').textContent()).toMatch(/Predicted: direct.*firewall or a route/)
      expect(await app.page.getByTestId('nat-this side (host)').textContent()).toMatch(/Port-restricted cone NAT/)
      expect(await app.page.getByTestId('nat-other side (join)').textContent()).toMatch(/Full cone NAT/)
      expect(await app.page.getByTestId('path').textContent()).toMatch(/relayed via TURN 198\.51\.100\.7:49152/)
      // Both paths measured: each throughput card with its window and the UDP rate, jitter as RFC 3550, the overhead ratio.
      const metrics = app.page.getByTestId('metrics')
      expect(await metrics.getByTestId('metric-Throughput, relay path').textContent()).toMatch(/19\.2\sMbit\/s \/ 16\.8\sMbit\/s.*2\.0 s window each way.*UDP under 1 % loss: 19\.0 Mbit\/s \/ 16\.0 Mbit\/s/s)
      expect(await metrics.getByTestId('metric-Throughput, direct path').textContent()).toMatch(/96\.0\sMbit\/s \/ 84\.0\sMbit\/s/)
      expect(await metrics.getByTestId('metric-Jitter (RFC 3550)').textContent()).toMatch(/RFC 3550 interarrival jitter/)
      expect(await metrics.getByTestId('metric-Relay overhead').textContent()).toMatch(/\+29\sms\sRTT.*relay throughput 20 % of direct/s)
      expect(await app.page.getByTestId('checks').textContent()).toMatch(/UDP port 51820: not reachable.*Path MTU.*1420 bytes/s)
      await shot(app.page, '10-report-relayed')
    } finally {
      app.main.close()
      await app.page.context().close()
    }
  })

  it('checks the NAT alone and edits settings without showing the TURN password', async () => {
    const app = await openApp(browser, site.url, { engine: engine(), settings: { natServers: [fake.url], turnPassword: 'hunter2-secret' }, savePath })
    try {
      // Keyboard only: Tab reaches "Check my NAT" and Enter starts it.
      await app.page.getByTestId('check-nat').waitFor()
      let reached = false
      for (let i = 0; i < 30 && !reached; i++) {
        await app.page.keyboard.press('Tab')
        reached = await app.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') === 'check-nat')
      }
      expect(reached).toBe(true)
      await app.page.keyboard.press('Enter')
      await app.page.getByText('Open internet (no NAT)').waitFor({ timeout: 10_000 })
      await shot(app.page, '07-my-nat')
      await app.page.getByRole('button', { name: 'Settings', exact: true }).click()
      await app.page.getByText('stored', { exact: true }).waitFor()
      expect(await app.page.content()).not.toContain('hunter2-secret')
      await shot(app.page, '08-settings')
    } finally {
      app.main.close()
      await app.page.context().close()
    }
  }, 60_000)

  it('refuses calls that break the contract, from the page itself', async () => {
    const app = await openApp(browser, site.url, { engine: engine(), savePath })
    try {
      const errors = await app.page.evaluate(async () => {
        const call = (globalThis as unknown as { __peerlensCall: (m: unknown) => Promise<{ ok: boolean; error?: string }> }).__peerlensCall
        return Promise.all([
          call({ method: 'fs.readFile', params: { path: '/etc/passwd' } }),
          call({ method: 'join.start', params: { target: 'x'.repeat(300_000) } }),
          call({ method: 'host.start', params: { mode: 'embedded', host: '127.0.0.1', port: 99999 } }),
          call({ method: 'settings.set', params: { stun: [], evil: true } })
        ])
      })
      expect(errors.map((e) => e.ok)).toEqual([false, false, false, false])
      expect(errors[0]!.error).toMatch(/unknown method/)
      expect(errors[1]!.error).toMatch(/over the .* byte limit/)
      expect(errors[2]!.error).toMatch(/bad params for host.start/)
      expect(errors[3]!.error).toMatch(/bad params for settings.set/)
      expect(app.main.sessions.running).toBe(false)
    } finally {
      app.main.close()
      await app.page.context().close()
    }
  })
})
