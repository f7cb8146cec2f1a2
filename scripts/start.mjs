#!/usr/bin/env node
// `npm start`: the desktop app through electron-vite preview, once Electron's binary is there.
// `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci` (the README's quick start, enough for the CLI and the
// tests) leaves it out; electron-vite would then fail with a stack trace. Say what is missing instead.
import { existsSync, readFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Where Electron's binary should be, and whether it is: as electron-vite finds it. */
function electronBinary(electronDir) {
  const given = process.env.ELECTRON_EXEC_PATH
  if (given) return existsSync(given) ? { ok: true } : { ok: false, why: `ELECTRON_EXEC_PATH names ${given}, which does not exist` }
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return { ok: false, why: `Electron's binary was not downloaded (${pathFile} is missing)` }
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { ok: false, why: `Electron's binary is missing (${binary})` }
  return { ok: true }
}

let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  console.error('npm start: the electron package is not installed: run npm ci first')
  process.exit(1)
}
const found = electronBinary(electronDir)
if (!found.ok) {
  console.error(`npm start: ${found.why}.`)
  console.error('  Get it with: node node_modules/electron/install.js   (or npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD)')
  console.error('  The CLI needs no Electron: npm run build:cli && node bin/peerlens.mjs --help')
  process.exit(1)
}
const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
