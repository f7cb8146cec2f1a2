// NAT discovery benchmark: `peerlens nat` (whole process) beside coturn's `turnutils_natdiscovery -m -f`
// in every lab NAT kind, same host, same server. Prints both times and verdicts and rewrites the
// "## NAT discovery" section of docs/benchmarks.md.
//
//   npx tsx bench/nat.ts [--runs N] [--no-write]
//
// Needs root and the lab's tools (see test/natlab/lab.ts); exits 0 with a message otherwise.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { createLab, hasNft, labUnavailable, NAT_KINDS, type Lab, type NatKind } from '../test/natlab/lab'
import { REPO } from '../test/natlab/natCli'

interface Sample {
  ms: number
  verdict: string
  detail: string
}

interface Row {
  kind: NatKind
  ours: Sample[]
  reference: Sample[]
  discoveryMs: number[]
}

/**
 * The command a user runs: the built CLI (bin/peerlens.mjs -> out/cli) once src/cli/main.ts has `nat`;
 * until then the nat command bundled exactly like `npm run build:cli` bundles the CLI.
 */
function peerlensNat(): { cmd: string; args: string[]; via: string } {
  const bin = join(REPO, 'bin/peerlens.mjs')
  try {
    const usage = execFileSync(process.execPath, [bin, 'nat', '--help'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 })
    if (/peerlens nat/.test(usage)) return { cmd: process.execPath, args: [bin, 'nat'], via: 'bin/peerlens.mjs nat (built CLI)' }
  } catch {
    // not wired into main.ts yet
  }
  const dir = join(REPO, 'node_modules/.cache/peerlens-bench')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'nat.mjs')
  execFileSync(
    join(REPO, 'node_modules/.bin/esbuild'),
    [join(REPO, 'test/natlab/run-nat.ts'), '--bundle', '--platform=node', '--format=esm', '--target=node20', '--packages=external', `--outfile=${out}`, '--log-level=warning'],
    { cwd: REPO, stdio: 'inherit' }
  )
  return { cmd: process.execPath, args: [out], via: 'natCommand bundled with esbuild like build:cli' }
}

/** coturn's words -> ours, so the verdicts can be compared. */
function referenceVerdict(stdout: string): string {
  const mapping = /NAT with (.+?) Mapping!/.exec(stdout)?.[1]
  const filtering = /NAT with (.+?) Filtering!/.exec(stdout)?.[1]
  const word = (s: string | undefined) => (s ? s.toLowerCase().replace(/ and /g, '-and-').replace(/ /g, '-') : 'no answer')
  return `${word(mapping)} / ${word(filtering)}`
}

/** Our verdict in the reference's vocabulary ("none" is endpoint-independent to coturn; UDP blocked is silence). */
function comparable(json: { mapping: string; filtering: string; classic: string }): string {
  if (json.classic === 'udp-blocked') return 'no answer / no answer'
  const mapping = json.mapping === 'none' ? 'endpoint-independent' : json.mapping
  return `${mapping} / ${json.filtering}`
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN
}

async function measure(lab: Lab, kind: NatKind, runs: number, cli: ReturnType<typeof peerlensNat>): Promise<Row> {
  const host = lab.hosts.find((h) => h.kind === kind)!
  const row: Row = { kind, ours: [], reference: [], discoveryMs: [] }
  for (let i = 0; i < runs; i++) {
    const r = await lab.exec(host.ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--json'], { cwd: REPO, timeoutMs: 30_000 })
    let json: { mapping: string; filtering: string; classic: string; durationMs: number }
    try {
      json = JSON.parse(r.stdout)
    } catch {
      throw new Error(`peerlens nat printed no JSON in ${kind}: ${r.stderr}`)
    }
    row.ours.push({ ms: r.ms, verdict: comparable(json), detail: `${json.mapping} / ${json.filtering} (${json.classic})` })
    row.discoveryMs.push(json.durationMs)
    const ref = await lab.exec(host.ns, 'turnutils_natdiscovery', ['-m', '-f', lab.stun.primary.address], { timeoutMs: 60_000 })
    const verdict = referenceVerdict(ref.stdout)
    row.reference.push({ ms: ref.ms, verdict, detail: verdict })
  }
  return row
}

function table(rows: Row[], runs: number, via: string): string {
  const lines = [
    `Whole-process wall time in a lab host (\`ip netns exec\` included), median of ${runs} run(s), same NAT, same coturn server. peerlens via ${via}.`,
    'Speed-up is turnutils time / peerlens time. Where no test has to be waited out (none, full-cone) the C tool finishes in about 10 ms, less than Node takes to start;',
    'the goal is at least 3x where it must wait out unanswered tests. "Same verdict" compares in coturn\'s words (it calls no NAT endpoint-independent and says nothing when UDP is blocked).',
    '',
    '| NAT kind | peerlens verdict (mapping / filtering, label) | peerlens | of which discovery | turnutils_natdiscovery -m -f verdict | turnutils | speed-up | same verdict |',
    '|---|---|---:|---:|---|---:|---:|:---:|'
  ]
  for (const r of rows) {
    const ours = median(r.ours.map((s) => s.ms))
    const ref = median(r.reference.map((s) => s.ms))
    const same = r.ours.every((s, i) => s.verdict === r.reference[i]?.verdict)
    lines.push(
      `| ${r.kind} | ${r.ours[0]!.detail} | ${Math.round(ours)} ms | ${Math.round(median(r.discoveryMs))} ms | ${r.reference[0]!.detail} | ${Math.round(ref)} ms | ${(ref / ours).toFixed(1)}x | ${same ? 'yes' : 'NO'} |`
    )
  }
  return lines.join('\n')
}

function machine(): string {
  const cpu = cpus()
  return `${cpu.length} CPU(s), ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`
}

/** Replaces (or appends) the "## NAT discovery" section, leaving every other section alone. */
export function updateSection(file: string, body: string, heading = '## NAT discovery'): void {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const section = `${heading}\n\n${body.trim()}\n`
  const start = before.indexOf(`${heading}\n`)
  let after: string
  if (start === -1) {
    after = `${before.trimEnd()}\n\n${section}`
  } else {
    const next = before.indexOf('\n## ', start + heading.length)
    after = before.slice(0, start) + section + (next === -1 ? '' : '\n' + before.slice(next + 1))
  }
  writeFileSync(file, after)
}

export async function runNatBench(options: { runs?: number; write?: boolean } = {}): Promise<number> {
  const runs = options.runs ?? 3
  const why = await labUnavailable()
  if (why) {
    console.log(`NAT discovery benchmark skipped: ${why}`)
    return 0
  }
  const kinds = (await hasNft()) ? [...NAT_KINDS] : NAT_KINDS.filter((k) => k !== 'address-restricted')
  const cli = peerlensNat()
  const lab = await createLab({ hosts: kinds })
  const rows: Row[] = []
  try {
    for (const kind of kinds) {
      const row = await measure(lab, kind, runs, cli)
      rows.push(row)
      const ours = median(row.ours.map((s) => s.ms))
      const ref = median(row.reference.map((s) => s.ms))
      console.log(
        `${kind.padEnd(19)} peerlens ${String(Math.round(ours)).padStart(5)} ms  ${row.ours[0]!.detail.padEnd(70)} | turnutils ${String(Math.round(ref)).padStart(5)} ms  ${row.reference[0]!.detail}`
      )
    }
  } finally {
    await lab.teardown()
  }
  const body = [`Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. Run it with \`npx tsx bench/nat.ts\` (root: it builds the NAT lab).`, '', table(rows, runs, cli.via)].join('\n')
  console.log('\n' + body)
  if (options.write !== false) {
    updateSection(join(REPO, 'docs/benchmarks.md'), body)
    console.log('\nupdated docs/benchmarks.md (## NAT discovery)')
  }
  const slow = rows.filter((r) => median(r.ours.map((s) => s.ms)) > 1000)
  if (slow.length) console.log(`over the 1 s goal: ${slow.map((r) => r.kind).join(', ')}`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, 'no-write': { type: 'boolean' } }, strict: true })
  const runs = values.runs ? Number(values.runs) : 3
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    console.error('--runs must be a whole number from 1 to 50')
    process.exit(2)
  }
  runNatBench({ runs, write: !values['no-write'] }).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err)
      process.exit(1)
    }
  )
}
