import { execFileSync } from 'node:child_process'

/** Tests spawn the built CLI: build it first so they never run a stale bundle. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' })
}
