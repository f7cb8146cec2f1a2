import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { RTCPeerConnection } from 'werift'
import { startCli, type Running } from '../helpers/cli'
import { HAVE_CHROMIUM, SCREENSHOTS, launchChromium } from './chromium'
import { tempDir } from '../helpers/tempDir'

const dir = tempDir('browser')
const running: Running[] = []
let browser: Browser

let hosts = 0
async function host(env: NodeJS.ProcessEnv = {}): Promise<{ run: Running; invite: string; report: string }> {
  const report = join(dir, `host-${hosts++}.json`)
  const run = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--report', report, '--json', '--timeout', '30'], { env })
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

describe('the CLI build', () => {
  it('bundles the join page beside the CLI, in the same build (test/globalSetup.ts runs npm run build:cli)', () => {
    const page = fileURLToPath(new URL('../../out/joinpage/join.js', import.meta.url))
    const cli = fileURLToPath(new URL('../../out/cli/peerlens.mjs', import.meta.url))
    expect(existsSync(page), 'out/joinpage/join.js is missing: build:cli in package.json must run the esbuild step for src/joinpage').toBe(true)
    // A stale page from an older build would hide a build:cli that stopped building it.
    expect(statSync(page).mtimeMs, 'out/joinpage/join.js is older than the CLI bundle: build:cli no longer builds the join page').toBeGreaterThanOrEqual(statSync(cli).mtimeMs - 1000)
  })
})

/** Waits for the page's verdict; on a timeout, fails with what the page shows instead. */
async function waitVerdict(page: Page, verdict: string, timeout = 30_000): Promise<void> {
  try {
    await page.locator(`#verdict[data-verdict="${verdict}"]`).waitFor({ timeout })
  } catch {
    const shown = await page.locator('main').innerText().catch(() => '(page gone)')
    throw new Error(`no "${verdict}" verdict within ${timeout} ms; the page shows:\n${shown}`)
  }
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
    await waitVerdict(page, 'direct')
    await page.locator('#rtt[data-value]').waitFor({ timeout: 10_000 })
    const rtt = Number(await page.locator('#rtt').getAttribute('data-value'))
    expect(rtt).toBeGreaterThanOrEqual(0)
    expect(await page.locator('#reason').textContent()).toMatch(/without a relay/)
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

  it('works with the host run from source (tsx), the launcher handing it out/joinpage', async () => {
    const { run, invite, report } = await host({ PEERLENS_FROM_SOURCE: '1' })
    const page = await openPage(invite)
    await waitVerdict(page, 'direct')
    expect(await run.exit, run.stderr()).toBe(0)
    expect(JSON.parse(readFileSync(report, 'utf8')).sides[1].missing).toBeFalsy()
    await page.close()
  })

  it('shows a narrow-screen layout that still reads', async () => {
    const { run, invite } = await host()
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } })
    await page.goto(invite)
    await waitVerdict(page, 'direct')
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))
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

describe.skipIf(!HAVE_CHROMIUM)('a browser as users run it (mDNS host-address hiding on, no loopback flag)', () => {
  let plain: Browser
  beforeAll(async () => {
    plain = await launchChromium({ defaults: true })
  })
  afterAll(async () => {
    await plain?.close()
  })
  afterEach(() => {
    for (const r of running.splice(0)) r.kill()
  })

  it('still connects directly through the reflexive address the host server saw, and says why host addresses are hidden', async () => {
    const { run, invite, report } = await host()
    const page = await plain.newPage({ viewport: { width: 900, height: 1100 } })
    await page.goto(invite)
    await waitVerdict(page, 'direct')
    // Host addresses appear as .local names, or (when Chromium cannot register them) not at all.
    await expect.poll(() => page.locator('.notes').textContent()).toMatch(/\.local|did not share/)
    await page.locator('#report-status', { hasText: 'was sent to the host' }).waitFor({ timeout: 10_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-join-mdns.png'), fullPage: true })
    expect(await run.exit, run.stderr()).toBe(0)
    const side = JSON.parse(readFileSync(report, 'utf8')).sides[1]
    expect(side.missing, side.why).toBeFalsy()
    const hosts = side.candidates.local.filter((c: { type: string }) => c.type === 'host')
    expect(hosts.every((c: { address: string }) => c.address.endsWith('.local'))).toBe(true)
    // Chromium may still name its own host candidate as the pair's end, without its address.
    const end = side.selectedPair.local
    if (end.type === 'host') expect(end.address).toMatch(/\.local$|hidden/)
    await page.close()
  })
})

describe.skipIf(!HAVE_CHROMIUM)('the page against a host that does not behave (a bare room on peerlens signal)', () => {
  let signal: Running
  let base: string
  beforeAll(async () => {
    browser = await launchChromium()
    signal = startCli(['signal', '--listen', '127.0.0.1:0', '--quiet'])
    base = (await signal.waitFor(/^listening: /)).slice('listening: '.length)
  })
  afterAll(async () => {
    signal?.kill()
    await browser?.close()
  })

  /** A room whose host is this test: it says nothing unless told to. */
  async function bareRoom(): Promise<{ room: string; secret: string; hostToken: string; hostSays: (type: string, data: unknown) => Promise<void>; joined: () => Promise<void> }> {
    const created = (await (await fetch(`${base}v1/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' } })).json()) as { room: string; secret: string; hostToken: string }
    const auth = { authorization: `Bearer ${created.hostToken}` }
    return {
      ...created,
      async hostSays(type, data) {
        await fetch(`${base}v1/rooms/${created.room}/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ type, data }) })
      },
      async joined() {
        const res = await fetch(`${base}v1/rooms/${created.room}/messages?after=0&wait=10`, { headers: auth })
        const body = (await res.json()) as { messages: Array<{ type: string }> }
        expect(body.messages.map((m) => m.type)).toContain('hello')
      }
    }
  }

  it('gives up with the reason when no offer comes in time', async () => {
    const room = await bareRoom()
    const page = await browser.newPage()
    await page.goto(`${base}join/${room.room}?timeout=2#${room.secret}`)
    await room.joined()
    await waitVerdict(page, 'failed', 10_000)
    expect(await page.locator('#error').textContent()).toMatch(/No answer from the host within 2 s/)
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-join-timeout.png'), fullPage: true })
    await page.close()
  })

  it('gives up with the reason when the offer comes but no candidate pair works', async () => {
    const room = await bareRoom()
    const page = await browser.newPage()
    await page.goto(`${base}join/${room.room}?timeout=3#${room.secret}`)
    await room.joined()
    // A real offer (werift) whose candidates never reach the page: no pair can work.
    const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:9' }], iceStunGatherTimeout: 1 })
    try {
      pc.createDataChannel('peerlens')
      await pc.setLocalDescription(await pc.createOffer())
      const sdp = pc.localDescription!.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate')).join('\r\n')
      await room.hostSays('offer', { type: 'offer', sdp })
      await room.hostSays('candidate', null)
      await waitVerdict(page, 'failed', 15_000)
      expect(await page.locator('#error').textContent()).toMatch(/ICE checks found no working candidate pair within 3 s/)
    } finally {
      await pc.close()
      await page.close()
    }
  })

  it('says the host left when it sends bye before connecting', async () => {
    const room = await bareRoom()
    const page = await browser.newPage()
    await page.goto(`${base}join/${room.room}#${room.secret}`)
    await room.joined()
    await room.hostSays('bye', { reason: 'interrupted' })
    await waitVerdict(page, 'failed', 10_000)
    expect(await page.locator('#error').textContent()).toMatch(/The host left: interrupted/)
    await page.close()
  })

  it('says the host left when its server stops answering', async () => {
    const own = startCli(['signal', '--listen', '127.0.0.1:0', '--quiet'])
    running.push(own)
    const ownBase = (await own.waitFor(/^listening: /)).slice('listening: '.length)
    const created = (await (await fetch(`${ownBase}v1/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' } })).json()) as { room: string; secret: string }
    const page = await browser.newPage()
    await page.goto(`${ownBase}join/${created.room}#${created.secret}`)
    await page.locator('#verdict[data-verdict="pending"]').waitFor({ timeout: 10_000 })
    own.kill()
    await own.exit
    await waitVerdict(page, 'failed', 15_000)
    expect(await page.locator('#error').textContent()).toMatch(/The host left/)
    await page.close()
  })
})
