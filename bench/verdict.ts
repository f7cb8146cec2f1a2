// Time to verdict per NAT pair in the lab: how long the joiner waits for the answer (which path the
// session uses), against the targets of issue 14 (direct 1 s, relayed 1.5 s, UDP blocked with TURN over
// TCP or TLS 3 s), and when its measurements end; writes "## Time to verdict" in docs/benchmarks.md.
//   npx tsx bench/verdict.ts [runs]   (root: it builds the NAT lab; BENCH_VERDICT_TIMELINE=1 prints each run's timeline)
import { createLab, labUnavailable, allowOnlyTcp443, startTurnTls, type Lab, type LabHost, type NatKind } from '../test/natlab/lab'
import { BIN } from '../test/helpers/cli'
import { machine, percentile, round, today, writeSection } from './doc'
import { verdictTimes, type JsonLine, type VerdictTimes } from './verdictTimes'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5)
const SIGNAL = 'http://203.0.113.2:8080/'
/** The corporate case's signaling: the office gets out on TCP 443 only. */
const SIGNAL_443 = 'http://203.0.113.4:443/'

type Turn = 'udp' | 'tcp' | 'tls'
interface Case {
  host: NatKind
  join: NatKind
  /** The joiner's TURN URL: plain (werift tries UDP first), ?transport=tcp, or turns: on 443 (only TCP 443 gets out). */
  turn: Turn
  note: string
  targetMs: number
  /** --no-nat on both sides: no NAT prediction, so the relay decision waits out its bounded window. */
  noNat?: boolean
}

const CASES: Case[] = [
  { host: 'port-restricted', join: 'port-restricted', turn: 'udp', note: 'hole punching', targetMs: 1_000 },
  { host: 'full-cone', join: 'symmetric', turn: 'udp', note: 'one open side', targetMs: 1_000 },
  { host: 'port-restricted', join: 'symmetric', turn: 'udp', note: 'relay fallback', targetMs: 1_500 },
  { host: 'symmetric', join: 'symmetric', turn: 'udp', note: 'relay fallback', targetMs: 1_500 },
  { host: 'symmetric', join: 'symmetric', turn: 'udp', note: 'relay fallback, no NAT discovery (`--no-nat`): the bounded wait', targetMs: 1_500, noNat: true },
  { host: 'port-restricted', join: 'udp-blocked', turn: 'udp', note: 'UDP blocked, turn: URL (TCP found by itself)', targetMs: 3_000 },
  { host: 'port-restricted', join: 'udp-blocked', turn: 'tcp', note: 'UDP blocked, TURN over TCP', targetMs: 3_000 },
  { host: 'port-restricted', join: 'port-restricted', turn: 'tls', note: 'only TCP 443 out, TURN over TLS', targetMs: 3_000 }
]

type Run = VerdictTimes
const DIR = mkdtempSync(join(tmpdir(), 'bench-verdict-'))
let runNo = 0

interface Env {
  lab: Lab
  tls: { url: string; caFile: string }
  hosts: Map<string, LabHost>
}

function hostKey(side: 'h' | 'j', c: Case): string {
  return c.turn === 'tls' && side === 'j' ? 'office' : `${side}-${side === 'h' ? c.host : c.join}`
}

async function once(env: Env, c: Case): Promise<Run> {
  const { lab } = env
  const auth = ['--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential, ...(c.noNat ? ['--no-nat'] : [])]
  const hostTurn = c.turn === 'tls' ? env.tls.url : lab.turn.url
  const joinTurn = c.turn === 'tls' ? env.tls.url : c.turn === 'tcp' ? `${lab.turn.url}?transport=tcp` : lab.turn.url
  const signal = c.turn === 'tls' ? SIGNAL_443 : SIGNAL
  const processEnv = { ...process.env, NODE_EXTRA_CA_CERTS: env.tls.caFile }
  const host = lab.spawn(env.hosts.get(hostKey('h', c))!.ns, process.execPath, [BIN, 'host', '--signal', signal, '--timeout', '30', '--stun', lab.stun.url, '--turn', hostTurn, ...auth], {
    env: processEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  host.stdout!.on('data', (d) => (out += d))
  host.stderr!.resume()
  const hostExit = new Promise((r) => host.on('exit', r))
  const deadline = Date.now() + 15_000
  while (!/^invite: /m.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  const invite = /^invite: (\S+)/m.exec(out)?.[1]
  if (!invite) throw new Error('host printed no invite')
  const report = join(DIR, `join-${++runNo}.json`)
  const joinArgs = [BIN, 'join', invite, '--json', '--report', report, '--timeout', '30', '--stun', lab.stun.url, '--turn', joinTurn, ...auth]
  const r = await lab.exec(env.hosts.get(hostKey('j', c))!.ns, process.execPath, joinArgs, { timeoutMs: 60_000, env: processEnv })
  await hostExit
  const lines = r.stdout
    .trim()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JsonLine]
      } catch {
        return []
      }
    })
  if (process.env.BENCH_VERDICT_TIMELINE) printTimeline(c, lines)
  let connection: { verdictAfterMs?: number; measuredAfterMs?: number } | undefined
  try {
    connection = (JSON.parse(readFileSync(report, 'utf8')) as { connection: typeof connection }).connection
  } catch {
    connection = undefined
  }
  return verdictTimes(lines, connection)
}

function printTimeline(c: Case, lines: JsonLine[]): void {
  console.log(`--- ${c.host} / ${c.join} (${c.turn})`)
  for (const l of lines) {
    if (['probe', 'signal', 'pair', 'local-candidate', 'remote-candidate'].includes(String(l.event))) continue
    const { event, atMs, ...rest } = l
    console.log(`${String(atMs ?? '').padStart(6)} ${String(event)} ${JSON.stringify(rest).slice(0, 160)}`)
  }
}

async function main(): Promise<void> {
  const why = await labUnavailable()
  if (why) {
    console.log(`bench verdict skipped: ${why}`)
    return
  }
  const only = process.env.BENCH_VERDICT_ONLY?.split(',')
  const cases = CASES.filter((_, i) => !only || only.includes(String(i)))
  const lab = await createLab()
  try {
    const tls = await startTurnTls(lab)
    const hosts = new Map<string, LabHost>()
    for (const c of cases) {
      for (const side of ['h', 'j'] as const) {
        const key = hostKey(side, c)
        if (hosts.has(key)) continue
        const h = await lab.addHost(side === 'h' ? c.host : c.join, key)
        if (key === 'office') await allowOnlyTcp443(h)
        hosts.set(key, h)
      }
    }
    lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.2:8080', '--quiet'])
    lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.4:443', '--quiet'])
    await new Promise((r) => setTimeout(r, 1000))
    const env: Env = { lab, tls, hosts }
    const rows: string[] = []
    for (const c of cases) {
      const runs: Run[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await once(env, c))
      const row = tableRow(c, runs)
      console.log(row)
      rows.push(row)
    }
    writeSection(
      'Time to verdict',
      `Measured ${today()} on ${machine()}. Command: \`npx tsx bench/verdict.ts ${RUNS}\` (part of \`npm run bench\`; root, it builds the NAT lab).

The user waits for the answer, not for the figures: how long \`peerlens join\` takes, from its session's start
(after joining the room), to its \`verdict\` event (the path the session uses; the CLI prints it at once, the
dashboard shows it). The measurements go on after it: "measured" is the joiner's report's \`measuredAfterMs\`
(its pings on both paths done), "session done" its last phase (the host's throughput tests and the report
halves exchanged). Lab as in "Connections through the NAT lab"; the TLS row's joiner sits behind a
router that lets only TCP to port 443 out, with coturn offering TURN over TLS on 443. Targets from issue 14.
${RUNS} runs per pair.

| host behind | joiner behind | case | verdict | time to verdict, p50 | max | target | met | measured, p50 | session done, p50 |
| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |
${rows.join('\n')}`
    )
  } finally {
    await lab.teardown()
    rmSync(DIR, { recursive: true, force: true })
  }
}

function tableRow(c: Case, runs: Run[]): string {
  const times = runs.map((r) => r.verdictMs).filter((x): x is number => x !== null)
  const ms = (x: number): string => `${round(x, 0)} ms`
  const p50 = (xs: Array<number | null>): string => {
    const known = xs.filter((x): x is number => x !== null)
    return known.length ? ms(percentile(known, 50)) : '-'
  }
  const verdicts = [...new Set(runs.map((r) => r.verdict))].join(', ')
  const mid = times.length ? percentile(times, 50) : NaN
  const max = times.length ? Math.max(...times) : NaN
  const met = times.length === runs.length && max <= c.targetMs ? 'yes' : times.length === runs.length && mid <= c.targetMs ? 'p50 only' : 'NO'
  const joiner = c.turn === 'tls' ? 'port-restricted, TCP 443 only' : c.join
  return `| ${c.host} | ${joiner} | ${c.note} | ${verdicts} | ${times.length ? ms(mid) : '-'} | ${times.length ? ms(max) : '-'} | ${ms(c.targetMs)} | ${met} | ${p50(runs.map((r) => r.measuredMs))} | ${p50(runs.map((r) => r.doneMs))} |`
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
