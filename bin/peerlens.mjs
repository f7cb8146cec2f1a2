#!/usr/bin/env node
// Runs the built CLI (out/cli) when present; from a plain checkout, the TypeScript source through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const built = fileURLToPath(new URL('../out/cli/peerlens.mjs', import.meta.url))
let cli
if (existsSync(built) && !process.env.PEERLENS_FROM_SOURCE) {
  cli = await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href)
}
// The launcher knows where the package's built files are, from source or bundled alike.
cli.run({ joinPageDir: new URL('../out/joinpage/', import.meta.url) })
