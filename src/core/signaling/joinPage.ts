import { readFile } from 'node:fs/promises'
import { APP_VERSION } from '../version'

/**
 * The page an invite URL opens in a browser, and its two assets. The page joins the room with the
 * browser's own WebRTC stack (src/joinpage, docs/browser-join.md). The room secret stays in the
 * fragment: the page reads it from location.hash and sends it only in the join request's body.
 */

/** No inline script or style, nothing from another origin; fetches go to this server only. */
export const JOIN_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const JOIN_PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': JOIN_PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store'
}

const ASSET_TYPES: Record<string, string> = {
  'join.js': 'text/javascript; charset=utf-8',
  'join.css': 'text/css; charset=utf-8'
}

export function joinPage(room: string): string {
  const r = escapeHtml(room)
  // Relative asset URLs keep working behind a reverse proxy that serves us under a prefix.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="peerlens-version" content="${escapeHtml(APP_VERSION)}">
<title>peerlens: join ${r}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="../join-assets/join.css">
<script src="../join-assets/join.js" defer></script>
</head>
<body>
<header><h1>peerlens</h1><p>Joining room <code>${r}</code> from this browser</p></header>
<main id="app"><noscript><p>This page needs JavaScript. Without it, join from a terminal:
<code>peerlens join '&lt;this address, including the part after #&gt;'</code></p></noscript></main>
</body></html>
`
}

/** The join page's built files (out/joinpage, from `npm run build:cli`), handed to the server by its caller. */
export interface JoinPageAssets {
  js: string
  css: string
}

/** join.js or join.css; own keys only: "__proto__" or "constructor" must not look like assets. */
export function isJoinAsset(name: string): boolean {
  return Object.hasOwn(ASSET_TYPES, name)
}

/** A page asset by name (join.js, join.css); undefined for any other name. */
export function joinAsset(name: string, assets: JoinPageAssets): { contentType: string; body: string } | undefined {
  if (!isJoinAsset(name)) return undefined
  return { contentType: ASSET_TYPES[name]!, body: name === 'join.js' ? assets.js : assets.css }
}

/**
 * Reads join.js and join.css from the one folder the entry point names (the CLI's launcher and the
 * app's main process know where out/joinpage is); undefined when they are not there (not built).
 */
export async function readJoinPageAssets(dir: string | URL): Promise<JoinPageAssets | undefined> {
  const base = typeof dir === 'string' ? `${dir.replace(/\/$/, '')}/` : new URL('./', dir)
  const read = (name: string): Promise<string> => readFile(typeof base === 'string' ? `${base}${name}` : new URL(name, base), 'utf8')
  try {
    const [js, css] = await Promise.all([read('join.js'), read('join.css')])
    return { js, css }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
