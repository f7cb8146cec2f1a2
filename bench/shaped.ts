// Shaped-link benchmark: peerlens's throughput figures (direct and relay, each way) beside iperf3 TCP
// on the same tbf-shaped lab link, in the same run. Rewrites the "## Shaped links" section of
// docs/benchmarks.md.
//
//   npx tsx bench/shaped.ts [--only 10,40] [--no-write]
//
// Needs root and the lab's tools (test/natlab/lab.ts) plus iperf3; exits 0 with a message otherwise.
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, tmpdir } from 'node:os'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createLab, labUnavailable, type LabHost } from '../test/natlab/lab'
import { startSignal } from '../test/natlab/pair'
import { REPO } from '../test/natlab/natCli'
import { updateSection } from './nat'
import { iperf, peerlensPair, shape, type Shape } from './shapedLink'

const LINKS: Shape[] = [{ mbit: 10 }, { mbit: 40 }, { mbit: 100 }, { mbit: 40, lossPercent: 0.5 }, { mbit: 40, lossPercent: 2 }]

type Pair = [number | null, number | null]

interface Row {
  link: Shape
  iperf: { aToB: number; bToA: number }
  direct: Pair
  relay: Pair
  /** The highest UDP rate under 1 % loss, on the path the session used (only that one is searched); null: not searched. */
  udpUsed: { path: 'direct' | 'relay'; rates: Pair } | null
  dataChannel: Pair
  measureMs: number | null
}

const err = (ours: number | null, ref: number): string => (ours === null ? 'missing' : `${(((ours - ref) / ref) * 100).toFixed(1)} %`)
const f = (n: number | null): string => (n === null ? 'missing' : n.toFixed(1))

function linkName(s: Shape): string {
  return `${s.mbit} Mbit/s${s.lossPercent ? `, ${s.lossPercent} % loss` : ''}`
}

const none = (n: number | null): string => (n === null ? 'none' : n.toFixed(1))

function table(rows: Row[]): string {
  const lines = [
    '| link | iperf3 h→j / j→h | direct h→j / j→h | relay h→j / j→h | error direct | error relay | UDP <1 % loss on the path used, h→j / j→h | data channel h→j / j→h | measuring |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|'
  ]
  for (const r of rows) {
    const e = (pair: Pair) => `${err(pair[0], r.iperf.aToB)} / ${err(pair[1], r.iperf.bToA)}`
    const u = (pair: Pair) => `${none(pair[0])} / ${none(pair[1])}`
    lines.push(
      `| ${linkName(r.link)} | ${r.iperf.aToB} / ${r.iperf.bToA} | ${f(r.direct[0])} / ${f(r.direct[1])} | ${f(r.relay[0])} / ${f(r.relay[1])} | ${e(r.direct)} | ${e(r.relay)} | ${r.udpUsed ? `${u(r.udpUsed.rates)} (${r.udpUsed.path})` : 'not searched'} | ${r.dataChannel.every((x) => x === null) ? 'not run (budget)' : `${f(r.dataChannel[0])} / ${f(r.dataChannel[1])}`} | ${r.measureMs === null ? '?' : (r.measureMs / 1000).toFixed(1)} s |`
    )
  }
  return lines.join('\n')
}

export async function runShapedBench(o: { links?: Shape[]; write?: boolean } = {}): Promise<number> {
  const why = await labUnavailable()
  if (why) {
    console.log(`shaped-link benchmark skipped: ${why}`)
    return 0
  }
  try {
    execFileSync('iperf3', ['--version'], { stdio: 'ignore' })
  } catch {
    console.log('shaped-link benchmark skipped: iperf3 is not installed (apt-get install iperf3)')
    return 0
  }
  const lab = await createLab()
  const dir = mkdtempSync(join(tmpdir(), 'peerlens-shaped-'))
  const rows: Row[] = []
  const load: number[] = []
  try {
    const a: LabHost = await lab.addHost('none', 'a')
    const b: LabHost = await lab.addHost('none', 'b')
    await startSignal(lab)
    for (const link of o.links ?? LINKS) {
      await shape(lab, [a, b], link)
      load.push(loadavg()[0]!)
      const ref = await iperf(lab, a, b, 3)
      const ours = await peerlensPair(lab, a, b, dir, `${link.mbit}-${link.lossPercent ?? 0}`, ['--throughput-mb', '64'])
      const row: Row = {
        link,
        iperf: ref,
        direct: [ours.direct?.hostToJoin ?? null, ours.direct?.joinToHost ?? null],
        relay: [ours.relay?.hostToJoin ?? null, ours.relay?.joinToHost ?? null],
        udpUsed: ours.direct?.udp
          ? { path: 'direct', rates: [ours.direct.udp.hostToJoin ?? null, ours.direct.udp.joinToHost ?? null] }
          : ours.relay?.udp
            ? { path: 'relay', rates: [ours.relay.udp.hostToJoin ?? null, ours.relay.udp.joinToHost ?? null] }
            : null,
        dataChannel: [ours.direct?.dataChannel?.hostToJoin ?? null, ours.direct?.dataChannel?.joinToHost ?? null],
        measureMs: ours.measureMs
      }
      rows.push(row)
      console.log(table([row]).split('\n')[2])
      if (process.env.SHAPED_STEPS) console.log(`  direct ${ours.direct?.steps}\n  relay ${ours.relay?.steps}\n  ${ours.timeline}`)
    }
  } finally {
    await lab.teardown()
    if (!process.env.KEEP_SHAPED) rmSync(dir, { recursive: true, force: true })
    else console.log(`reports kept in ${dir}`)
  }
  const cpu = cpus()
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} CPU(s), ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, 1-minute load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} (the machine is shared). Run it with \`npx tsx bench/shaped.ts\` (root: it builds the NAT lab; \`npm run bench\` runs it too).`,
    '',
    'Two public lab hosts, each one\'s eth0 egress shaped with `tc qdisc add dev eth0 root tbf rate R burst max(32 kB, R/100) latency 50ms`, loss as `iptables -A INPUT -i eth0 -m statistic --mode random --probability P -j DROP` on both hosts. iperf3 TCP (`-t 3 -O 1`, then `-R`) is the reference, in the same run on the same link, just before one `peerlens host --throughput-mb 64` / `peerlens join` session that measures the direct path and the relay path (coturn) one direction after the other. Direct and relay: the path throughput peerlens reports (paced UDP on the selected pair: payload per second that arrived while offering more than the path carried), Mbit/s; error = (peerlens − iperf3) / iperf3. UDP <1 % loss = the highest paced UDP rate with under 1 % loss, searched on the path the session used (WireGuard\'s view; none when every step of at least 100 packets lost more, as on a link with 2 % random loss; a ramp step\'s rate when the budget ended the search before a step just under capacity, so a lower bound). Data channel = werift SCTP on the chosen path (short window, for comparison). Measuring = from the host\'s "measuring" phase to its last throughput figure (both paths, both ways, pings included). On a link with random loss, iperf3\'s TCP figure itself varies from run to run (TCP backs off on every loss: 29.6 to 37.6 Mbit/s at 2 % in the runs of 2026-11-30), while peerlens\'s figure is the path\'s UDP capacity, which does not; an error there is mostly iperf3\'s.',
    '',
    table(rows)
  ].join('\n')
  console.log('\n' + body)
  if (o.write !== false) {
    updateSection(join(REPO, 'docs/benchmarks.md'), body, '## Shaped links')
    console.log('\nupdated docs/benchmarks.md (## Shaped links)')
  }
  return 0
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { only: { type: 'string' }, 'no-write': { type: 'boolean' } }, strict: true })
  const links = values.only ? values.only.split(',').map((m) => ({ mbit: Number(m.split('/')[0]), lossPercent: Number(m.split('/')[1] ?? 0) })) : undefined
  runShapedBench({ ...(links ? { links } : {}), write: !values['no-write'] }).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e)
      process.exit(1)
    }
  )
}
