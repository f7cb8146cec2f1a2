// The HTML report in a real browser: Debian's Chromium via playwright-core (never a downloaded
// browser). Screenshots go to test-output/ (git-ignored); docs/report.png is a committed copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { fixtureReport } from '../fixture'
import { renderHtml } from '../../../../src/core/report/html'
import { haveChromium, launchChromium, CHROMIUM } from './screenshot'

const OUT = fileURLToPath(new URL('../../../../test-output/', import.meta.url))

describe.skipIf(!haveChromium())(`HTML report in ${CHROMIUM}`, () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('renders without requests or console errors, fits the width, and screenshots', async () => {
    mkdirSync(OUT, { recursive: true })
    const file = `${OUT}report.html`
    writeFileSync(file, renderHtml(fixtureReport()))
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const requests: string[] = []
    const problems: string[] = []
    page.on('request', (r) => void (r.url().startsWith('file:') || requests.push(r.url())))
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())))
    page.on('pageerror', (e) => void problems.push(e.message))
    await page.goto(pathToFileURL(file).href)
    expect(requests).toEqual([])
    expect(problems).toEqual([])
    expect(await page.title()).toBe('peerlens report: relayed, 2026-11-25 09:00:06 UTC')
    expect(await page.locator('.verdict').textContent()).toBe('relayed')
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(5)
    // Nothing wider than the page: no horizontal scrolling on a laptop screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1100)
    await page.screenshot({ path: `${OUT}report.png`, fullPage: true })
    await page.screenshot({ path: `${OUT}report-top.png` })
    // Printing works and keeps the colours.
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    writeFileSync(`${OUT}report.pdf`, pdf)
    await page.close()
  })

  it('fits an A4-wide window (what printing has) without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } })
    await page.goto(pathToFileURL(`${OUT}report.html`).href)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(794)
    await page.close()
  })

  it('a narrow window stacks the two sides', async () => {
    const page = await browser.newPage({ viewport: { width: 600, height: 900 } })
    await page.goto(pathToFileURL(`${OUT}report.html`).href)
    const [a, b] = await page.locator('#sides .card').all()
    const boxA = await a!.boundingBox()
    const boxB = await b!.boundingBox()
    expect(boxB!.y).toBeGreaterThan(boxA!.y + boxA!.height - 1)
    await page.screenshot({ path: `${OUT}report-narrow.png` })
    await page.close()
  })
})
