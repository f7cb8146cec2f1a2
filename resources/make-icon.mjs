// Renders resources/icon.svg to resources/icon.png (1024x1024, transparent corners) with Debian's
// Chromium: `node resources/make-icon.mjs`. electron-builder makes the .icns and .ico from the PNG.
import { chromium } from 'playwright-core'
import { readFile } from 'node:fs/promises'

const dir = new URL('.', import.meta.url)
const svg = await readFile(new URL('icon.svg', dir), 'utf8')
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] })
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
  await page.locator('svg').screenshot({ path: new URL('icon.png', dir).pathname, omitBackground: true })
} finally {
  await browser.close()
}
