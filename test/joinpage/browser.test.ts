import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startCli, type Running } from '../helpers/cli'
import { HAVE_CHROMIUM, SCREENSHOTS, launchChromium } from './chromium'

const dir = mkdtempSync(join(tmpdir(), 'peerlens-browser-'))
const running: Running[] = []
let browser: Browser

async function host(args: string[] = []): Promise<{ run: Running; invite: string; report: string }> {
  const report = join(dir, `host-${running.length}.json`)
  const run = startCli(['host', '--listen', '127.0.0.1:0', '--report', report, '--json', '--timeout', '30', ...args])
  running.push(run)
  const invite = JSON.parse(await run.waitFor(/"event":"invite"/)).url as string
  return { run, invite, report }
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } })
  page.on('pageerror', (err) => console.error('page error:', err.message))
  await page.goto(url)
  return page
}

describe.skipIf(!HAVE_CHROMIUM)('a browser joins a peerlens host from the invite URL (Chromium, libwebrtc)', () => {
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(() => {
    for (const r of running.splice(0)) r.kill()
  })

  it('connects directly, measures RTT, and the host report holds the browser side', async () => {
    const { run, invite, report } = await host()
    const page = await openPage(invite)
    await page.locator('#verdict[data-verdict="direct"]').waitFor({ timeout: 30_000 })
    await page.locator('#rtt[data-value]').waitFor({ timeout: 10_000 })
    const rtt = Number(await page.locator('#rtt').getAttribute('data-value'))
    expect(rtt).toBeGreaterThanOrEqual(0)
    expect(await page.locator('#reason').textContent()).toMatch(/direct/)
    expect(await page.locator('#local-candidates li').count()).toBeGreaterThan(0)
    expect(await page.locator('#remote-candidates li').count()).toBeGreaterThan(0)
    await page.locator('#report-status', { hasText: 'was sent to the host' }).waitFor({ timeout: 10_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-join-direct.png'), fullPage: true })

    expect(await run.exit, run.stderr()).toBe(0)
    const result = JSON.parse(run.stdout().trim().split('\n').pop()!)
    expect(result).toMatchObject({ event: 'result', verdict: 'direct' })

    const written = JSON.parse(readFileSync(report, 'utf8'))
    expect(written.connection.verdict).toBe('direct')
    const side = written.sides[1]
    expect(side.missing, side.why).toBeFalsy()
    expect(side).toMatchObject({ role: 'join', app: { name: 'peerlens-web' }, verdict: 'direct' })
    expect(side.userAgent).toMatch(/Chrom/)
    expect(side.rttMs).toBeGreaterThanOrEqual(0)
    expect(side.candidates.local.length).toBeGreaterThan(0)
    expect(side.selectedPair.local.protocol).toBe('udp')
    // The host saw the browser's hello.
    expect(written.sides[0].events.some((e: { kind: string; name?: string }) => e.kind === 'peer-hello' && /browser/.test(e.name ?? ''))).toBe(true)
    await page.close()
  })

  it('shows a narrow-screen layout that still reads', async () => {
    const { run, invite } = await host()
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } })
    await page.goto(invite)
    await page.locator('#verdict[data-verdict="direct"]').waitFor({ timeout: 30_000 })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-join-narrow.png'), fullPage: true })
    expect(await run.exit, run.stderr()).toBe(0)
    await page.close()
  })

  it('says "wrong secret" when the fragment does not match, and the host keeps waiting', async () => {
    const { run, invite } = await host()
    const page = await openPage(invite.replace(/#.*$/, '#not-the-secret'))
    await expect.poll(() => page.locator('#error').textContent(), { timeout: 10_000 }).toMatch(/Wrong secret/)
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-join-wrong-secret.png'), fullPage: true })
    await page.close()
    expect(run.child.exitCode).toBeNull()
  })

  it('says the room does not exist for an unknown room, and asks for the secret when it is missing', async () => {
    const { invite } = await host()
    const page = await openPage(invite.replace(/\/join\/[^#]+/, '/join/nosuchroom'))
    await expect.poll(() => page.locator('#error').textContent(), { timeout: 10_000 }).toMatch(/does not exist/)
    await page.goto(invite.replace(/#.*$/, ''))
    await expect.poll(() => page.locator('#error').textContent(), { timeout: 10_000 }).toMatch(/no secret after #/)
    await page.close()
  })
})
