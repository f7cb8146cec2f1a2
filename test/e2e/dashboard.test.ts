// The dashboard used in anger (issue 16), in Debian's Chromium against the real core: early
// failures reach the screen with Retry and Back, a cancel is not an alarm, a running session shows
// its steps, a LAN path has no NAT boxes, words and units are plain and single, settings refuse bad
// servers field by field, a narrow window says its tables scroll, saves are confirmed in place.
// Only loopback: the embedded signaling server on 127.0.0.1, the scripted RFC 5780 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { runHost } from '../../src/core/run/host'
import { runJoin } from '../../src/core/run/join'
import { discoverNat } from '../../src/core/nat/discover'
import type { Engine } from '../../src/main/sessionRunner'
import { startFakeServer, type FakeServer } from '../core/nat/fakeServer'
import { CHROMIUM, CHROMIUM_ARGS, isNewer, newestFile, openApp, OUT, ROOT, serveDir, SHOTS } from './harness'

const SAVED = join(ROOT, 'test-output/e2e')

let browser: Browser
let site: { url: string; close: () => Promise<void> }
let fake: FakeServer
const engine = (): Engine => ({ runHost, runJoin, discoverNat, defaultNatServers: [] })
let n = 0
const savePath = (name: string): string => join(SAVED, `dash-${++n}-${name}`)
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

async function hostInvite(page: Page): Promise<string> {
  await page.getByLabel('Listen address').fill('127.0.0.1:0')
  await page.getByTestId('host-button').click()
  const el = page.getByTestId('invite')
  await el.waitFor({ timeout: 10_000 })
  return (await el.textContent())!.trim()
}

describe.skipIf(!existsSync(CHROMIUM))('the dashboard in anger (Chromium, real core)', () => {
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

  it('shows an early failure (damaged blob, unreachable server, wrong secret, port in use) with plain words, Retry and Back', async () => {
    const app = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    const host = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    const busy = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
    const busyPort = (busy.address() as { port: number }).port
    try {
      const failure = app.page.getByTestId('failure')
      const joinWith = async (target: string): Promise<string> => {
        await app.page.getByTestId('join-input').fill(target)
        await app.page.getByTestId('join-button').click()
        await failure.waitFor({ timeout: 8_000 })
        return (await failure.textContent())!
      }
      // A damaged blob: the engine fails before join.start answers; the event must not be lost.
      expect(await joinWith('PL1:garbage')).toMatch(/offer blob is damaged.*copy all of it/i)
      expect(await app.page.getByTestId('verdict').count()).toBe(0)
      await expect.poll(() => app.page.getByText('Starting…').count()).toBe(0)
      await shot(app.page, '11-failure-blob')
      // Retry runs the same input again (and fails the same way); Back returns home.
      await app.page.getByRole('button', { name: 'Retry' }).click()
      await failure.getByText(/damaged/).waitFor()
      await app.page.getByRole('button', { name: 'Back' }).click()
      await app.page.getByTestId('join-input').waitFor()

      // Nothing listens on port 1: "fetch failed" said as what it means.
      expect(await joinWith('http://127.0.0.1:1/join/abcdef#secret')).toMatch(/Could not reach the signaling server/)
      await app.page.getByRole('button', { name: 'Back' }).click()

      // An invite without its secret is caught on Home, in words that say how to fix it.
      const invite = await hostInvite(host.page)
      await app.page.getByTestId('join-input').fill(invite.split('#')[0]!)
      expect(await app.page.getByTestId('join-kind').textContent()).toBe('this invite lost its secret (the part after #): copy the whole link')
      expect(await app.page.getByTestId('join-button').isDisabled()).toBe(true)
      // A wrong secret reaches the server and comes back as such.
      expect(await joinWith(`${invite.split('#')[0]}#not-the-secret`)).toMatch(/secret is wrong.*part after #/i)
      await app.page.getByRole('button', { name: 'Back' }).click()

      // Port in use: host on a port another program holds.
      await app.page.getByLabel('Listen address').fill(`127.0.0.1:${busyPort}`)
      await app.page.getByTestId('host-button').click()
      await failure.waitFor({ timeout: 8_000 })
      expect(await failure.textContent()).toMatch(/listen address is taken.*another program is using port/)
      expect(await failure.textContent()).toMatch(/Hosting could not start/)
    } finally {
      busy.close()
      for (const a of [app, host]) {
        a.main.close()
        await a.page.context().close()
      }
    }
  }, 90_000)

  it('shows the steps, elapsed time and what a waiting host waits for; a cancel is not a red "No connection"', async () => {
    const app = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    try {
      await hostInvite(app.page)
      const status = app.page.getByTestId('status')
      expect(await status.textContent()).toMatch(/Step 1 of 5: signaling/)
      expect(await status.textContent()).toMatch(/NAT discovery \(off in Settings\)/)
      expect(await app.page.getByTestId('waiting-for').textContent()).toBe('a joiner to open the invite')
      expect(await status.textContent()).toMatch(/gives up after 10 min/)
      const first = await app.page.getByTestId('elapsed').textContent()
      await expect.poll(() => app.page.getByTestId('elapsed').textContent(), { timeout: 4_000 }).not.toBe(first)
      // The timeline and the waiting screen never show the invite's secret outside the invite box.
      await app.page.getByRole('button', { name: 'Cancel' }).click()
      const failure = app.page.getByTestId('failure')
      await failure.waitFor({ timeout: 8_000 })
      expect(await failure.textContent()).toMatch(/^Cancelled/)
      expect(await failure.getAttribute('class')).toMatch(/tone-cancelled/)
      expect(await app.page.getByText('No connection').count()).toBe(0)
      expect(await app.page.getByRole('alert').count()).toBe(0)
      await shot(app.page, '12-cancelled')
    } finally {
      app.main.close()
      await app.page.context().close()
    }
  }, 60_000)

  it('draws a loopback pair without NAT boxes, names the peer as the heading does, says NAT types plainly, keeps one unit and an ordered timeline without secrets, and shows that tables scroll at 800 px', async () => {
    const settings = { natServers: [fake.url], lastHost: '127.0.0.1:0' }
    const host = await openApp(browser, site.url, { engine: engine(), settings, savePath }, { width: 800, height: 600 })
    const join = await openApp(browser, site.url, { engine: engine(), settings, savePath })
    try {
      const invite = await hostInvite(host.page)
      const secret = invite.split('#')[1]!
      await join.page.getByTestId('join-input').fill(invite)
      await join.page.getByTestId('join-button').click()
      for (const { page } of [host, join]) {
        await page.getByTestId('verdict').getByText('Direct connection').waitFor({ timeout: 40_000 })
        for (const card of ['nat-this side', 'nat-other side']) {
          await expect.poll(() => page.locator(`[data-testid^="${card}"]`).textContent(), { timeout: 15_000 }).toMatch(/Mapping/)
        }
      }
      // Path: loopback host candidates, so no NAT or internet between; the peer named as in the heading.
      const path = join.page.getByTestId('path')
      expect(await path.textContent()).toMatch(/same network \(no NAT between\)/)
      expect(await path.locator('svg').textContent()).not.toMatch(/NAT|internet|unknown/)
      const heading = (await join.page.locator('h2').first().textContent())!
      const peerName = /with (\S+) \(peerlens/.exec(heading)?.[1]
      expect(peerName).toBeTruthy()
      expect(await path.locator('svg text.peer-name').allTextContents()).toEqual(['this side', peerName])
      // NAT cards: the meaning in one sentence, plain words before the RFC term, terms on hover, a glossary.
      const card = join.page.locator('[data-testid^="nat-this side"]')
      expect(await card.getByTestId('nat-meaning').textContent()).toMatch(/public address|direct connections|Not enough answers to tell/i)
      expect(await card.textContent()).toMatch(/Mapping(no translation \(public address\)|same public port for every destination|not determined)/)
      expect(await card.locator('dt[title]').first().getAttribute('title')).toMatch(/public port for outgoing traffic/)
      expect(await card.textContent()).not.toMatch(/compared two servers/)
      await join.page.getByText('Glossary: what the NAT words mean').click()
      expect(await join.page.getByTestId('glossary').textContent()).toMatch(/Symmetric NAT.*new public port/s)
      // Timeline: in time order, no "gathering gathering", the invite without its secret.
      for (const { page } of [host, join]) {
        const tl = (await page.getByTestId('timeline').textContent())!
        expect(tl).not.toMatch(/gathering gathering/)
        expect(tl).not.toContain(secret)
        const times = (await page.locator('.timeline li .mono').allTextContents()).map((t) => parseFloat(t))
        expect(times).toEqual([...times].sort((a, b) => a - b))
        // One unit: throughput in Mbit/s, as iperf3 and the reports say it, never MB/s.
        expect(await page.getByTestId('metrics').textContent()).not.toMatch(/MB\/s/)
      }
      // The host measured throughput: its card says how long and how much each way.
      await expect.poll(() => host.page.getByTestId('metric-Throughput').textContent(), { timeout: 20_000 }).toMatch(/bit\/s \/ .*bit\/s.*s window each way, one after the other, [\d.]+ [kM]?B \/ [\d.]+ [kM]?B/s)
      expect(await host.page.getByTestId('timeline').textContent()).toMatch(/invite http:\/\/127\.0\.0\.1:\d+\/join\/\S+#… \(secret hidden\)/)
      // 800 px: the pair table says it scrolls instead of hiding its last column.
      await host.page.getByTestId('pairs').getByTestId('scroll-hint').waitFor({ timeout: 5_000 })
      // The save is confirmed in the export panel, where the user clicked.
      await host.page.getByRole('button', { name: 'Save JSON report' }).click()
      const saved = host.page.getByTestId('export').getByTestId('export-notice')
      await saved.waitFor({ timeout: 5_000 })
      expect(await saved.textContent()).toMatch(/^saved .*\.json$/)
      expect(await saved.isVisible()).toBe(true)
      expect(await host.page.locator('.notice').count()).toBe(0)

      await shot(join.page, '13-dashboard-1280-light')
      await shot(host.page, '14-dashboard-800-light')
      for (const { page } of [host, join]) await page.emulateMedia({ colorScheme: 'dark' })
      await shot(join.page, '15-dashboard-1280-dark')
      await shot(host.page, '16-dashboard-800-dark')
    } finally {
      for (const a of [host, join]) {
        a.main.close()
        await a.page.context().close()
      }
    }
  }, 90_000)

  it('turned off in Settings (a metered link): the session measures no throughput, and the card says so with a way back to Settings', async () => {
    const settings = { natOnSession: false, lastHost: '127.0.0.1:0', throughput: false }
    const host = await openApp(browser, site.url, { engine: engine(), settings, savePath })
    const join = await openApp(browser, site.url, { engine: engine(), settings: { natOnSession: false }, savePath })
    try {
      const invite = await hostInvite(host.page)
      await join.page.getByTestId('join-input').fill(invite)
      await join.page.getByTestId('join-button').click()
      await host.page.getByTestId('verdict').getByText('Direct connection').waitFor({ timeout: 40_000 })
      const card = host.page.getByTestId('metric-Throughput')
      await expect.poll(() => card.textContent(), { timeout: 20_000 }).toMatch(/^Throughput\s*off.*turned off in Settings \(a metered or slow link\)/s)
      await shot(host.page, '28-throughput-off')
      await card.getByRole('button', { name: 'Open Settings' }).click()
      expect(await host.page.getByTestId('throughput-switch').isChecked()).toBe(false)
      expect(await host.page.getByTestId('throughput-cap').isDisabled()).toBe(true)
    } finally {
      host.main.close()
      join.main.close()
      await host.page.context().close()
      await join.page.context().close()
    }
  }, 90_000)

  it('refuses bad STUN, TURN and NAT servers at save, field by field, in the CLI’s words', async () => {
    const app = await openApp(browser, site.url, { engine: engine(), savePath }, { width: 800, height: 600 })
    try {
      await app.page.getByRole('button', { name: 'Settings', exact: true }).click()
      const boxes = app.page.locator('form.settings textarea')
      await boxes.nth(0).fill('stun.example.org:3478\nhttp://stun.example.org')
      await boxes.nth(1).fill('turn:turn.example.org:99999')
      await boxes.nth(2).fill('turns:nat.example.org')
      await app.page.getByRole('button', { name: 'Save settings' }).click()
      await app.page.getByTestId('error-stun').waitFor()
      expect(await app.page.getByTestId('error-stun').textContent()).toBe('bad stun server address "http://stun.example.org": expected HOST:PORT')
      expect(await app.page.getByTestId('error-turn').textContent()).toBe('bad port in "turn:turn.example.org:99999"')
      expect(await app.page.getByTestId('error-natServers').textContent()).toMatch(/NAT discovery needs a plain UDP STUN server/)
      expect(await app.page.getByText('settings saved').count()).toBe(0)
      expect(app.main.settings.get().stun).toEqual([])
      await shot(app.page, '17-settings-invalid')
      // Fixed, it saves.
      await boxes.nth(0).fill('stun.example.org:3478')
      await boxes.nth(1).fill('')
      await boxes.nth(2).fill('')
      await app.page.getByRole('button', { name: 'Save settings' }).click()
      await app.page.getByText('settings saved').waitFor()
      expect(app.main.settings.get().stun).toEqual(['stun.example.org:3478'])
      expect(await app.page.getByTestId('error-stun').count()).toBe(0)
    } finally {
      app.main.close()
      await app.page.context().close()
    }
  }, 60_000)
})
