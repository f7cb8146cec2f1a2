// `npm run bench`: every benchmark in turn; each writes its own section of docs/benchmarks.md.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const only = process.argv.slice(2)
const benches = ['signaling', 'nat', 'connect', 'verdict', 'throughput', 'shaped'].filter((b) => !only.length || only.includes(b))
let failed = 0
for (const name of benches) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
  if (!existsSync(file)) continue
  console.log(`\n=== bench ${name} ===`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    console.error(`bench ${name} failed (exit ${r.status})`)
  }
}
process.exit(failed ? 1 : 0)
