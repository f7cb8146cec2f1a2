// `npm run soak -- sessions`: many loopback host/join sessions in one process (as an agent or the
// desktop app's main process runs them, for weeks), its heap after a full GC every 50 sessions.
// Passes when the heap at the end is within 5 MiB of its level after the first 50. Rewrites the
// "Sessions in one process" section of docs/reliability.md.
import { fork } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { machine, today } from './doc'

const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 1000)
const AT_ONCE = Number(process.env.SOAK_SESSIONS_AT_ONCE ?? 4)
const EVERY = 50
const LIMIT_MIB = 5
const DOC = fileURLToPath(new URL('../docs/reliability.md', import.meta.url))
const round2 = (n: number) => Math.round(n * 100) / 100

interface Checkpoint {
  sessions: number
  heapMiB: number
  rssMiB: number
  ms: number
  handles: number
  verdicts: Record<string, number>
}

export async function sessions(): Promise<void> {
  const child = fork(fileURLToPath(new URL('./soak/sessions.ts', import.meta.url)), [String(SESSIONS), String(EVERY), String(AT_ONCE)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const points: Checkpoint[] = []
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: Checkpoint | { done: true }) => {
      if ('done' in m) return
      points.push(m)
      console.log(`${m.sessions} sessions: heap ${round2(m.heapMiB)} MiB, RSS ${round2(m.rssMiB)} MiB, ${m.handles} handles, ${Math.round(m.ms / 1000)} s`)
    })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the sessions worker exited with ${code}`))))
  })
  const first = points[0]!
  const last = points[points.length - 1]!
  const growth = last.heapMiB - first.heapMiB
  const verdicts = Object.entries(last.verdicts).map(([v, n]) => `${n} ${v}`).join(', ')
  const shown = points.filter((p, i) => i === 0 || i === points.length - 1 || p.sessions % (EVERY * 4) === 0)
  const body = [
    `Measured ${today()} on ${machine()} with \`npm run soak -- sessions\` (${Math.round(last.ms / 1000)} s): ${last.sessions} host/join sessions on`,
    `loopback in one process (\`bench/soak/sessions.ts\`, \`runHost\` with its embedded server and \`runJoin\` through it, no NAT`,
    `discovery, 64 KiB throughput test), ${AT_ONCE} at a time; heap after a full GC every ${EVERY} sessions, with none running.`,
    `Verdicts: ${verdicts}.`,
    '',
    '| sessions | heap after GC, MiB | RSS, MiB | active handles |',
    '| --- | --- | --- | --- |',
    ...shown.map((p) => `| ${p.sessions} | ${round2(p.heapMiB)} | ${round2(p.rssMiB)} | ${p.handles} |`),
    '',
    `Heap growth from session ${first.sessions} to ${last.sessions}: ${round2(growth)} MiB (${round2((growth * 1024) / Math.max(1, last.sessions - first.sessions))} KiB per session; the bound is ${LIMIT_MIB} MiB).`
  ].join('\n')
  writeSection(body)
  if (growth > LIMIT_MIB || Object.keys(last.verdicts).some((v) => v !== 'direct/direct')) process.exitCode = 1
}

function writeSection(body: string): void {
  const text = readFileSync(DOC, 'utf8')
  const start = '<!-- sessions:start -->'
  const end = '<!-- sessions:end -->'
  const a = text.indexOf(start)
  const b = text.indexOf(end)
  if (a < 0 || b < a) throw new Error('docs/reliability.md has no sessions markers')
  writeFileSync(DOC, text.slice(0, a + start.length) + '\n' + body + '\n' + text.slice(b))
}
