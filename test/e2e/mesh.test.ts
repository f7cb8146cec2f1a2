// Issue 18 item 1, app side, in Debian's Chromium: the Mesh screen reads a group of two agents that
// published their results in the directory of a real signaling server on loopback, through the
// real main-process path (handleCall -> handlers -> MeshReader -> the CLI's readGroupMatrix).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { SignalingServer } from '../../src/core/signaling/server'
import { GroupClient, groupKey } from '../../src/core/signaling/groupClient'
import type { Engine } from '../../src/main/sessionRunner'
import { CHROMIUM, CHROMIUM_ARGS, isNewer, newestFile, openApp, OUT, ROOT, serveDir, SHOTS } from './harness'

const SECRET = 'the office group secret'

// The Mesh screen runs no session: an engine that is never called.
const engine = {} as Engine

let browser: Browser
let site: { url: string; close: () => Promise<void> }
let server: SignalingServer
let base: string

describe.skipIf(!existsSync(CHROMIUM))('the Mesh screen (Chromium, real signaling server)', () => {
  beforeAll(async () => {
    if (!(await isNewer(join(OUT, 'index.html'), await newestFile(join(ROOT, 'src/renderer'))))) {
      execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
    }
    await mkdir(SHOTS, { recursive: true })
    site = await serveDir(OUT)
    server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 } })
    base = `http://127.0.0.1:${(await server.listen(0)).port}/`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await server?.close()
  })

  it('shows the matrix of two published agents, a pair\'s reason from its cell, a change, and a wrong secret in one line', async () => {
    const key = groupKey('office', SECRET)
    const alice = new GroupClient(base, 'office', key)
    const bob = new GroupClient(base, 'office', key)
    await alice.register('alice', { pairs: { bob: { verdict: 'direct', at: '2026-11-30T11:24:30.101Z', rttMs: 1.2, reason: 'the two sides reach each other without a relay' } } })
    await bob.register('bob', { pairs: { alice: { verdict: 'direct', at: '2026-11-30T11:24:29.000Z', rttMs: 1.3, reason: 'older' } } })
    const app = await openApp(browser, site.url, { engine, savePath: (n) => n })
    const { page } = app
    try {
      await page.getByRole('button', { name: 'Mesh' }).click()
      await page.getByLabel('Signaling server').fill(base)
      await page.getByLabel('Group', { exact: true }).fill('office')
      await page.getByLabel('Group secret').fill('not the secret at all')
      await page.getByRole('button', { name: 'Show the matrix' }).click()
      expect(await page.getByTestId('mesh-error').textContent()).toBe('wrong group secret for group office')

      await page.getByLabel('Group secret').fill(SECRET)
      await page.getByRole('button', { name: 'Show the matrix' }).click()
      const matrix = page.getByTestId('mesh-matrix')
      await matrix.getByText('2 agents, 1 pair: 1 direct').waitFor()
      // The cell is reachable with the keyboard: focus it, press Enter, read the pair's reason.
      const cell = matrix.getByRole('button', { name: /^alice ↔ bob: direct, rtt 1\.2 ms/ }).first()
      await cell.focus()
      await page.keyboard.press('Enter')
      await page.getByTestId('mesh-pair').getByText('the two sides reach each other without a relay').waitFor()

      // Bob's newer test says relayed: reading again shows it, and the change.
      await bob.register('bob', { pairs: { alice: { verdict: 'relayed', at: '2026-11-30T11:40:00.000Z', rttMs: 40, reason: 'only a TURN relay worked' } } })
      await page.getByRole('button', { name: 'Read again' }).click()
      await page.getByTestId('mesh-changes').getByText(/alice ↔ bob: direct → relayed \(only a TURN relay worked\)/).waitFor()
      expect(await matrix.getByRole('button', { name: /^alice ↔ bob: relayed/ }).count()).toBe(2)
      await page.screenshot({ path: join(SHOTS, '27-mesh-1280-light.png'), fullPage: true })
      expect(await page.getByTestId('mesh-error').count()).toBe(0)
    } finally {
      app.main.close()
    }
  }, 60_000)
})
