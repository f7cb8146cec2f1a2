// Join-to-connected time per NAT pair in the lab (median of repeated runs), relay fallback time, and
// the whole `peerlens join` process time; writes "## Connections through the NAT lab" in
// docs/benchmarks.md.   npx tsx bench/connect.ts [runs]   (root: it builds the NAT lab)
import { createLab, labUnavailable, type Lab, type LabHost, type NatKind } from '../test/natlab/lab'
import { BIN } from '../test/helpers/cli'
import { machine, percentile, round, today, writeSection } from './doc'

const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5)
const SIGNAL = 'http://203.0.113.2:8080/'

const PAIRS: Array<{ host: NatKind; join: NatKind; note: string }> = [
  { host: 'port-restricted', join: 'port-restricted', note: 'hole punching (direct)' },
  { host: 'full-cone', join: 'symmetric', note: 'one open side (direct)' },
  { host: 'port-restricted', join: 'symmetric', note: 'relay fallback' },
  { host: 'symmetric', join: 'symmetric', note: 'relay fallback' },
  { host: 'port-restricted', join: 'udp-blocked', note: 'TURN over TCP fallback' }
]

interface Run {
  verdict: string
  connectedAfterMs: number | null
  /** When the joiner learned which path the session uses (the host's "chosen"): the fallback time. */
  chosenAfterMs: number | null
  processMs: number
}

async function once(lab: Lab, a: LabHost, b: LabHost): Promise<Run> {
  const ice = ['--stun', lab.stun.url, '--turn', lab.turn.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential]
  const host = lab.spawn(a.ns, process.execPath, [BIN, 'host', '--signal', SIGNAL, '--timeout', '30', ...ice])
  let out = ''
  host.stdout!.on('data', (d) => (out += d))
  const hostExit = new Promise((r) => host.on('exit', r))
  const deadline = Date.now() + 15_000
  while (!/^invite: /m.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  const invite = /^invite: (\S+)/m.exec(out)?.[1]
  if (!invite) throw new Error('host printed no invite')
  const started = performance.now()
  const r = await lab.exec(b.ns, process.execPath, [BIN, 'join', invite, '--json', '--timeout', '30', ...ice], { timeoutMs: 60_000 })
  const processMs = performance.now() - started
  await hostExit
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  const result = lines.find((l) => l.event === 'result')
  const chosen = lines.find((l) => l.event === 'phase' && l.phase === 'connected' && String(l.detail ?? '').startsWith('using attempt'))
  return {
    verdict: String(result?.verdict ?? 'none'),
    connectedAfterMs: (result?.connectedAfterMs as number | null) ?? null,
    chosenAfterMs: (chosen?.atMs as number | undefined) ?? null,
    processMs
  }
}

async function main(): Promise<void> {
  const why = await labUnavailable()
  if (why) {
    console.log(`bench connect skipped: ${why}`)
    return
  }
  const lab = await createLab()
  try {
    const hosts = new Map<string, LabHost>()
    for (const p of PAIRS) {
      for (const [side, kind] of [['h', p.host], ['j', p.join]] as const) {
        if (!hosts.has(`${side}-${kind}`)) hosts.set(`${side}-${kind}`, await lab.addHost(kind, `${side}-${kind}`))
      }
    }
    lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.2:8080', '--quiet'])
    await new Promise((r) => setTimeout(r, 1000))
    const rows: string[] = []
    for (const p of PAIRS) {
      const runs: Run[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await once(lab, hosts.get(`h-${p.host}`)!, hosts.get(`j-${p.join}`)!))
      const connected = runs.map((r) => r.connectedAfterMs).filter((x): x is number => x !== null)
      const chosen = runs.map((r) => r.chosenAfterMs).filter((x): x is number => x !== null)
      const verdicts = [...new Set(runs.map((r) => r.verdict))].join(', ')
      const proc = runs.map((r) => r.processMs)
      const med = (xs: number[]): string => (xs.length ? `${round(percentile(xs, 50), 0)} ms` : '-')
      const row = `| ${p.host} | ${p.join} | ${p.note} | ${verdicts} | ${med(connected)} | ${med(chosen)} | ${chosen.length ? `${round(Math.min(...chosen), 0)}-${round(Math.max(...chosen), 0)} ms` : '-'} | ${med(proc)} |`
      console.log(row)
      rows.push(row)
    }
    writeSection(
      'Connections through the NAT lab',
      `Measured ${today()} on ${machine()}. Command: \`npx tsx bench/connect.ts ${RUNS}\` (part of \`npm run bench\`; root, it builds the NAT lab).

Two peers behind real Linux NATs in network namespaces, coturn as STUN and TURN (UDP, werift falls back to TCP by itself),
\`peerlens host\` and \`peerlens join\` as whole processes, signaling through a \`peerlens signal\` in the lab's internet.
Times are the joiner's own, from its start (after joining the room): "path open" is when the data channel of the path
the session uses opened; "path chosen" is when the host told it that this is the path (for relayed pairs: the relay
fallback time: at once when the first attempt can no longer bring a direct path). The whole process also measures both paths
(UDP echo trains, paced UDP rate steps and the data channel, within the 8.5 s budget), probes the servers and the path MTU,
and exchanges report halves. ${RUNS} runs per pair.

| host behind | joiner behind | case | verdict | path open, median | path chosen, median | path chosen, range | \`peerlens join\` process, median |
| --- | --- | --- | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}`
    )
  } finally {
    await lab.teardown()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
