import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
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

/** A page asset by name (join.js, join.css); undefined for any other name. */
export async function joinAsset(name: string): Promise<{ contentType: string; body: string } | undefined> {
  // Own keys only: "__proto__" or "constructor" must not look like assets.
  const contentType = Object.hasOwn(ASSET_TYPES, name) ? ASSET_TYPES[name] : undefined
  if (!contentType) return undefined
  assets ??= loadAssets().catch((err: unknown) => {
    assets = undefined
    throw err
  })
  const body = (await assets).get(name)
  return body === undefined ? undefined : { contentType, body }
}

let assets: Promise<Map<string, string>> | undefined

/**
 * Bundled (the CLI in out/cli, or the app's out/main): `npm run build:cli` wrote the assets to
 * out/joinpage/. From source (tsx): bundle src/joinpage now with esbuild, so the page is never stale.
 */
async function loadAssets(): Promise<Map<string, string>> {
  const source = new URL('../../joinpage/', import.meta.url)
  if (source.protocol === 'file:' && existsSync(fileURLToPath(new URL('join.ts', source)))) return buildFromSource(fileURLToPath(source))
  // out/cli/peerlens.mjs, out/main/index.js, or a split chunk in out/cli/chunks/: look upward.
  const built = ['../joinpage/', '../../joinpage/', '../../../joinpage/'].map((up) => new URL(up, import.meta.url)).find((dir) => existsSync(fileURLToPath(new URL('join.js', dir))))
  if (!built) throw new Error('out/joinpage/join.js not found: run npm run build:cli')
  const files = await Promise.all(Object.keys(ASSET_TYPES).map(async (name) => [name, await readFile(new URL(name, built), 'utf8')] as const))
  return new Map(files)
}

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ path: string; text: string }> }>
}

async function buildFromSource(dir: string): Promise<Map<string, string>> {
  // A variable specifier keeps bundlers from pulling esbuild (a dev dependency) into a build.
  const name = 'esbuild'
  const esbuild = (await import(/* @vite-ignore */ name)) as EsbuildLike
  const result = await esbuild.build({ ...JOIN_PAGE_BUILD, entryPoints: [`${dir}/join.ts`, `${dir}/join.css`], outdir: '/', write: false, logLevel: 'silent' })
  return new Map(result.outputFiles.map((f) => [f.path.split('/').pop()!, f.text]))
}

/** The same options as the esbuild step of `npm run build:cli` in package.json. */
const JOIN_PAGE_BUILD = { bundle: true, format: 'iife', target: 'es2020' }

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
