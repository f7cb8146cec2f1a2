#!/usr/bin/env node
// `npm run demo`: `peerlens host` and `peerlens join` as two real processes on loopback, as two
// laptops would run them, with the host's report written to demo-report.json.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../bin/peerlens.mjs', import.meta.url))
const prefix = (name, stream) => (chunk) => {
  for (const line of String(chunk).split('\n')) if (line) stream.write(`${name} | ${line}\n`)
}

const host = spawn(process.execPath, [bin, 'host', '--offline', '--listen', '127.0.0.1:0', '--report', 'demo-report.json', '--timeout', '60'])
const hostExit = new Promise((resolve) => host.on('exit', (code) => resolve(code ?? 1)))
host.stderr.on('data', prefix('host', process.stdout))
let out = ''
const invite = await new Promise((resolve, reject) => {
  host.stdout.on('data', (d) => {
    prefix('host', process.stdout)(d)
    out += d
    const m = /^invite: (\S+)$/m.exec(out)
    if (m) resolve(m[1])
  })
  void hostExit.then(() => reject(new Error('host exited before printing an invite')))
})
const join = spawn(process.execPath, [bin, 'join', invite, '--offline', '--timeout', '60'])
join.stdout.on('data', prefix('join', process.stdout))
join.stderr.on('data', prefix('join', process.stdout))
const joinCode = await new Promise((resolve) => join.on('exit', (code) => resolve(code ?? 1)))
const hostCode = await hostExit
console.log(`\nhost exited ${hostCode}, join exited ${joinCode}; the report with both sides is in demo-report.json`)
process.exit(hostCode || joinCode)
