// How the lab tests and the benchmark start `peerlens nat` as a whole process.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const BIN = `${REPO}bin/peerlens.mjs`
const RUNNER = `${REPO}test/natlab/run-nat.ts`

/**
 * The command line for `peerlens nat ARGS`: through bin/peerlens.mjs once src/cli/main.ts knows the
 * `nat` subcommand, else through test/natlab/run-nat.ts (the same natCommand, run by tsx).
 */
export function natCommandLine(): { cmd: string; args: string[]; via: string } {
  if (existsSync(BIN)) {
    try {
      const usage = execFileSync(process.execPath, [BIN, 'nat', '--help'], { cwd: REPO, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] })
      if (/peerlens nat/.test(usage)) return { cmd: process.execPath, args: [BIN, 'nat'], via: 'bin/peerlens.mjs nat' }
    } catch {
      // not wired yet
    }
  }
  return { cmd: process.execPath, args: ['--import', 'tsx', RUNNER], via: 'test/natlab/run-nat.ts (tsx)' }
}
