import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium (apt package chromium): a real libwebrtc peer, never a downloaded browser. */
export const CHROMIUM = process.env.PEERLENS_CHROMIUM ?? '/usr/bin/chromium'
export const HAVE_CHROMIUM = existsSync(CHROMIUM)

export const SCREENSHOTS = fileURLToPath(new URL('../../test-output/', import.meta.url))

/**
 * `defaults`: Chromium as users run it, hiding host addresses behind mDNS names and skipping
 * loopback; otherwise real addresses and loopback candidates, for tests on 127.0.0.1.
 */
export async function launchChromium(options: { defaults?: boolean } = {}): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.defaults ? [] : TEST_FLAGS)
    ]
  })
}

// Real host addresses instead of random .local names, and loopback candidates: everything in
// these tests happens on 127.0.0.1 (docs/browser-join.md says what this changes).
const TEST_FLAGS = ['--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection']
