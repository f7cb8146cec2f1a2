// The common layer's fence (eslint.config.js): a file in src/shared that imports anything outside
// src/shared fails `npm run lint`. Linted as text with a file path inside the layer, so no file is written.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({ cwd: ROOT })

async function importErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('src/shared imports only src/shared', () => {
  it.each([
    ["import { readFileSync } from 'node:fs'", 'src/shared/probe.ts'],
    ["import { z } from 'zod'", 'src/shared/probe.ts'],
    ["import type { RTCPeerConnection } from 'werift'", 'src/shared/format/lint-example.ts'],
    ["import pkg from '../../package.json'", 'src/shared/probe.ts'],
    ["import { hostPort } from '../core/report/format'", 'src/shared/probe.ts'],
    ["export { APP_VERSION } from '../../core/version'", 'src/shared/format/lint-example.ts'],
    ["import { ipcRenderer } from 'electron'", 'src/shared/diagnosis/lint-example.ts']
  ])('%s in %s fails', async (code, file) => {
    expect(await importErrors(`${code}\n`, file)).toHaveLength(1)
  })

  it.each([
    ["import type { Report } from './report'", 'src/shared/probe.ts'],
    ["import type { Report } from '../report'", 'src/shared/format/lint-example.ts'],
    ["import { hostPort } from '../format/text'", 'src/shared/diagnosis/lint-example.ts']
  ])('%s in %s passes', async (code, file) => {
    expect(await importErrors(`${code}\n`, file)).toEqual([])
  })

  it('does not fence code outside src/shared', async () => {
    expect(await importErrors("import { readFileSync } from 'node:fs'\n", 'src/core/report/load.ts')).toEqual([])
  })
})
