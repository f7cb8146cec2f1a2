import { execFileSync } from 'node:child_process'

/**
 * Tests spawn the built CLI: build it first so they never run a stale bundle. Quietly: `npm test`
 * has just printed esbuild's size table; the output is shown only when the build fails.
 */
export default function setup(): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'pipe' })
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer }
    process.stderr.write(`${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`)
    throw err
  }
}
