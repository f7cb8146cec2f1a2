// Issue 16, items 10 and 11, in Debian's Chromium against the real core: each finished session is
// kept in the app's data folder and listed on Home, reopens as a report, a host hosts again with a
// new invite, two past sessions compare side by side, a damaged stored report is a one-line error.
// Only loopback: the embedded signaling server on 127.0.0.1, the scripted RFC 5780 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { runHost } from '../../src/core/run/host'
import { runJoin } from '../../src/core/run/join'
import { discoverNat } from '../../src/core/nat/discover'
import type { Engine } from '../../src/main/sessionRunner'
import { startFakeServer, type FakeServer } from '../core/nat/fakeServer'
import { tempDir } from '../helpers/tempDir'
import { CHROMIUM, CHROMIUM_ARGS, isNewer, newestFile, openApp, OUT, ROOT, serveDir, SHOTS } from './harness'

const SAVED = join(ROOT, 'test-output/e2e')

let browser: Browser
let site: { url: string; close: () => Promise<void> }
let fake: FakeServer
const engine = (): Engine => ({ runHost, runJoin, discoverNat, defaultNatServers: [] })
let n = 0
const savePath = (name: string): string => join(SAVED, `history-${++n}-${name}`)
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

async function both(pages: Page[]): Promise<void> {
  for (const page of pages) await page.getByTestId('verdict').getByText('Direct connection').waitFor({ timeout: 40_000 })
}

describe.skipIf(!existsSync(CHROMIUM))('history and comparison (Chromium, real core)', () => {
  beforeAll(async () => {
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

  it('lists finished sessions on Home, reopens one, hosts again with a new invite, compares two, and says a damaged one in a line', async () => {
    const hostDir = tempDir('e2e-history-host')
    const joinDir = tempDir('e2e-history-join')
    const settings = { natOnSession: false, lastHost: '127.0.0.1:0' }
    const host = await openApp(browser, site.url, { engine: engine(), settings, savePath, historyDir: hostDir })
    const joiner = await openApp(browser, site.url, { engine: engine(), settings, savePath, historyDir: joinDir }, { width: 800, height: 600 })
    try {
      expect(await joiner.page.getByTestId('history').textContent()).toMatch(/none yet/)
      // Session 1: NAT discovery off.
      await host.page.getByLabel('Listen address').fill('127.0.0.1:0')
      await host.page.getByTestId('host-button').click()
      const invite1 = (await host.page.getByTestId('invite').textContent())!.trim()
      await joiner.page.getByTestId('join-input').fill(invite1)
      await joiner.page.getByTestId('join-button').click()
      await both([host.page, joiner.page])

      // Pairs explain themselves: Enter on a pair opens its history, checks each way, attempt; copy a candidate.
      const firstPair = host.page.getByTestId('pair-row').first()
      await firstPair.focus()
      await host.page.keyboard.press('Enter')
      const detail = host.page.getByTestId('pair-detail')
      await detail.waitFor({ timeout: 5_000 })
      expect(await detail.textContent()).toMatch(/checks this side sent \/ got answered\d+\/\d+/)
      expect(await detail.textContent()).toMatch(/attempt/)
      expect(await detail.locator('.pair-history li').count()).toBeGreaterThan(0)
      await host.page.getByTestId('candidates-local').getByTestId('copy-sdp').first().click()
      await expect.poll(() => host.main.clipboard.at(-1) ?? '').toMatch(/^a=candidate:\S+ \d+ udp \d+ \S+ \d+ typ host/)
      await host.page.getByTestId('candidates-local').getByTestId('copy-endpoint').first().click()
      await expect.poll(() => host.main.clipboard.at(-1) ?? '').toMatch(/^[\d.]+:\d+$|^\[.*\]:\d+$/)
      await host.page.getByTestId('pairs').screenshot({ path: join(SHOTS, '26-pair-detail-1280-light.png') })

      // Home lists it: verdict, the other side's name, this side's networks, the time.
      await host.page.getByRole('button', { name: 'Home' }).click()
      const rows = host.page.getByTestId('history-row')
      await expect.poll(() => rows.count(), { timeout: 5_000 }).toBe(1)
      const row = (await rows.first().textContent())!
      expect(row).toMatch(/direct/)
      expect(row).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/)
      expect(row).toMatch(/127\.0\.0\.1/)
      expect(row).toMatch(/you were the host/)
      expect(row).toMatch(/send it to \S+ again \(an invite serves one session\)/)
      expect(readdirSync(hostDir)).toContain('index.json')

      // Host again: a new invite (a new room), which the joiner uses; NAT discovery on this time.
      await host.main.settings.update({ natOnSession: true, natServers: [fake.url] })
      await joiner.main.settings.update({ natOnSession: true, natServers: [fake.url] })
      await host.page.getByTestId('history-again').click()
      const invite2 = (await host.page.getByTestId('invite').textContent())!.trim()
      expect(invite2).not.toBe(invite1)
      expect(await host.page.locator('.notice').textContent()).toMatch(/send the new invite to/)
      await joiner.page.getByRole('button', { name: 'Home' }).click()
      expect(await joiner.page.getByTestId('history-row').first().textContent()).toMatch(/ask (\S+ \(the host\)|the host) for a new invite/)
      await joiner.page.getByTestId('join-input').fill(invite2)
      await joiner.page.getByTestId('join-button').click()
      await both([host.page, joiner.page])

      // The joiner compares its two sessions: the older is "before".
      await joiner.page.getByRole('button', { name: 'Home' }).click()
      const jrows = joiner.page.getByTestId('history-row')
      await expect.poll(() => jrows.count(), { timeout: 5_000 }).toBe(2)
      await shot(joiner.page, '18-history-800-light')
      await joiner.page.setViewportSize({ width: 1280, height: 800 })
      await shot(joiner.page, '19-history-1280-light')
      await joiner.page.emulateMedia({ colorScheme: 'dark' })
      await shot(joiner.page, '20-history-1280-dark')
      await joiner.page.setViewportSize({ width: 800, height: 600 })
      await shot(joiner.page, '21-history-800-dark')
      await joiner.page.emulateMedia({ colorScheme: 'light' })
      for (const box of await joiner.page.getByRole('checkbox').all()) await box.check()
      await joiner.page.getByTestId('compare-picked').click()
      const headline = joiner.page.getByTestId('compare-headline')
      await headline.waitFor({ timeout: 5_000 })
      expect(await headline.textContent()).toMatch(/direct both times/)
      const natRow = joiner.page.getByTestId('compare-row').filter({ hasText: 'joiner NAT' })
      expect(await natRow.textContent()).toMatch(/^joiner NATnot measured.+changed$/)
      expect(await joiner.page.getByTestId('compare-findings').textContent()).toMatch(/Findings/)
      await shot(joiner.page, '22-compare-800-light')
      await joiner.page.setViewportSize({ width: 1280, height: 800 })
      await shot(joiner.page, '23-compare-1280-light')
      await joiner.page.emulateMedia({ colorScheme: 'dark' })
      await shot(joiner.page, '24-compare-1280-dark')
      await joiner.page.setViewportSize({ width: 800, height: 600 })
      await shot(joiner.page, '25-compare-800-dark')
      await joiner.page.emulateMedia({ colorScheme: 'light' })

      // Reopen a past session as a report view.
      await joiner.page.getByRole('button', { name: 'Home' }).click()
      await joiner.page.getByTestId('history-open').first().click()
      await joiner.page.getByTestId('verdict').getByText('Direct connection').waitFor({ timeout: 5_000 })
      expect(await joiner.page.locator('h2').first().textContent()).toMatch(/^Report/)
      expect(await joiner.page.locator('.dashboard .mono').first().textContent()).toContain(joinDir)

      // A damaged stored report: one line, the app goes on.
      const stored = readdirSync(joinDir).filter((f) => f !== 'index.json')
      for (const f of stored) writeFileSync(join(joinDir, f), '{"schema":"peerlens.report/v1",')
      await joiner.page.getByRole('button', { name: 'Home' }).click()
      await joiner.page.getByTestId('history-open').first().click()
      const alert = joiner.page.locator('.notice.error')
      await alert.waitFor({ timeout: 5_000 })
      expect(await alert.textContent()).toMatch(/^this past session cannot be opened: the report is truncated \(the JSON stops early\)/)
      expect(await joiner.page.getByTestId('history-row').count()).toBe(2)
    } finally {
      for (const a of [host, joiner]) {
        a.main.close()
        await a.page.context().close()
      }
    }
  }, 150_000)
})
