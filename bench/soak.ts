// `npm run soak`: the signaling server under load and faults, as a real `peerlens signal` process
// on loopback, with the figures written to the "Soak" section of docs/reliability.md. Bounded: a
// few minutes at most. The CI-sized checks of the same things are test/reliability/*.test.ts.
// `npm run soak -- scale` runs only the scale-out part (Redis, several instances, failover, in
// soakScale.ts), `npm run soak -- sessions` only the many-sessions-in-one-process run (soakSessions.ts).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { exchangeMany, percentile } from './soak/exchange'
import { forkSignal } from './soak/signal'
import { startCutProxy } from '../test/reliability/cutProxy'
import { memoryAttack } from './soak/attack'
import { machine, today } from './doc'
import { scale } from './soakScale'
import { sessions } from './soakSessions'

const ROOMS = Number(process.env.SOAK_ROOMS ?? 500)
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 3)
const CANDIDATES = Number(process.env.SOAK_CANDIDATES ?? 10)
const TTL_S = 20
/** Rooms of a round start spread over this long, as sessions do, rather than in one instant. */
const RAMP_MS = Number(process.env.SOAK_RAMP_MS ?? 2000)
/** The memory attack: this many source addresses (127.0.1.x), for this long, each with this many posts in flight. */
const ATTACK_ADDRESSES = Number(process.env.SOAK_ATTACK_ADDRESSES ?? 4)
const ATTACK_S = Number(process.env.SOAK_ATTACK_S ?? 20)
const ATTACK_IN_FLIGHT = 8
const DOC = fileURLToPath(new URL('../docs/reliability.md', import.meta.url))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const round1 = (n: number) => Math.round(n * 10) / 10

async function main(): Promise<void> {
  const started = Date.now()
  // The load is all from 127.0.0.1: the server sets the per-address limit high for the soak's own traffic.
  const server = await forkSignal(TTL_S)
  const rows: string[] = []
  const latencies: number[] = []
  const reasons = new Map<string, number>()
  let delivered = 0
  let problems = 0
  let failures = 0
  const mem = async (): Promise<string> => {
    const m = await server.memory()
    return `${round1(m.heapUsedMiB)} / ${round1(m.rssMiB)} (${m.rooms} rooms)`
  }
  try {
    await exchangeMany(server.base, 5, { candidates: 2 }) // warm up
    await sleep(TTL_S * 1250 + 1000)
    rows.push(`| before | - | - | - | - | ${await mem()} |`)
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await exchangeMany(server.base, ROOMS, { candidates: CANDIDATES, waitSeconds: 25, timeoutMs: 120_000, rampMs: RAMP_MS })
      const peak = await mem()
      const lat = r.results.flatMap((x) => x.latencies)
      const messages = r.results.reduce((n, x) => n + x.received[0].length + x.received[1].length, 0)
      const bad = r.results.reduce((n, x) => n + x.problems.length, 0)
      latencies.push(...lat)
      delivered += messages
      problems += bad
      failures += r.failures.length
      for (const f of r.failures) {
        const reason = f.replace(/room \S+/g, 'room R')
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
      }
      // Rooms expire after the TTL (the sweep runs every TTL/4): wait, then read memory again.
      await sleep(TTL_S * 1250 + 1000)
      rows.push(`| round ${round}: ${ROOMS} rooms | ${messages} delivered, ${bad} out of order, ${r.failures.length} rooms failed | ${Math.round(r.ms)} ms (${Math.round(messages / (r.ms / 1000))} msg/s) | ${round1(percentile(lat, 50))} / ${round1(percentile(lat, 99))} ms | ${peak} | ${await mem()} |`)
      console.log(rows[rows.length - 1])
    }
    for (const [reason, n] of reasons) console.log(`failed rooms: ${n} x ${reason}`)
    // Faults: a quarter of the long-poll answers cut mid-delivery by a proxy in front of the server.
    const proxy = await startCutProxy(server.port, 0.25)
    const cut = await exchangeMany(`http://127.0.0.1:${proxy.port}/`, 100, { candidates: CANDIDATES, waitSeconds: 25, timeoutMs: 120_000, rampMs: 1000 })
    await proxy.close()
    const cutMessages = cut.results.reduce((n, x) => n + x.received[0].length + x.received[1].length, 0)
    const cutBad = cut.results.reduce((n, x) => n + x.problems.length, 0)
    const cutLat = cut.results.flatMap((x) => x.latencies)
    const faults = `| 100 rooms, 25% of poll answers cut (${proxy.cuts()} cuts) | ${cutMessages} delivered, ${cutBad} out of order, ${cut.failures.length} rooms failed | ${Math.round(cut.ms)} ms | ${round1(percentile(cutLat, 50))} / ${round1(percentile(cutLat, 99))} ms |`
    console.log(faults)
    const attack = await attackRow()
    console.log(attack)
    const body = [
      `Measured ${today()} on ${machine()} with \`npm run soak\` (${Math.round((Date.now() - started) / 1000)} s). Server: the code`,
      `\`peerlens signal\` runs (\`startSignalServer\`, room TTL ${TTL_S} s, rate limit raised for the soak's own traffic) in its own`,
      `process (\`bench/soak/server.ts\`, forked so it can report its heap after a full GC); clients: the project's own HTTP client`,
      `(\`httpChannel\`, long polls of 25 s) in the soak process, ${ROOMS} rooms per round started over ${RAMP_MS / 1000} s, each room a host and a`,
      `joiner exchanging hello, offer/answer, ${CANDIDATES} trickled candidates, end of candidates and bye (${2 * (CANDIDATES + 4)} messages).`,
      'Latency is from the start of the post to delivery at the other peer, measured in the client process (two cores',
      `shared by the server and ${2 * ROOMS} polling clients: the client side dominates it). Memory is the server's heap after`,
      'a full GC and its resident set, at the end of each round and again once the TTL has expired every room.',
      '',
      '| phase | messages | time | relay latency p50 / p99 | heap / RSS at the end, MiB | heap / RSS after expiry, MiB |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Total: ${delivered} messages delivered, ${problems} lost, duplicated or out of order, ${failures} rooms failed.`,
      '',
      '| faults | messages | time | relay latency p50 / p99 |',
      '| --- | --- | --- | --- |',
      faults,
      '',
      `Memory attack (issue 15): a second server process with exactly the defaults of \`peerlens signal\` (rate limit, room`,
      `and connection caps, budgets); ${ATTACK_ADDRESSES} source addresses (127.0.1.x) each open rooms until refused, then post`,
      `60 KB messages of 20000 empty arrays (\`[[],[],...]\`) round-robin into them, ${ATTACK_IN_FLIGHT} at a time, for ${ATTACK_S} s. Peak RSS`,
      'is sampled from /proc every 100 ms; heap / RSS after is read after a full GC (the rooms and their messages are still there).',
      '',
      '| attack | answers | peak RSS, MiB | heap / RSS before, MiB | heap / RSS after, MiB |',
      '| --- | --- | --- | --- | --- |',
      attack
    ].join('\n')
    writeSoakSection(body)
    if (problems || failures || cutBad || cut.failures.length) process.exitCode = 1
  } finally {
    await server.stop()
  }
}

/** The memory attack against a server with the defaults, as one table row. */
async function attackRow(): Promise<string> {
  const target = await forkSignal(600, true)
  try {
    const mem = async (): Promise<string> => {
      const m = await target.memory()
      return `${round1(m.heapUsedMiB)} / ${round1(m.rssMiB)} (${m.rooms} rooms)`
    }
    const before = await mem()
    const r = await memoryAttack(target.port, target.pid, { addresses: ATTACK_ADDRESSES, seconds: ATTACK_S, inFlight: ATTACK_IN_FLIGHT })
    const answers = Object.entries(r.statuses)
      .map(([status, n]) => `${n} x ${status === '0' ? 'no answer' : status}`)
      .join(', ')
    return `| ${ATTACK_ADDRESSES} addresses, ${ATTACK_S} s | ${answers} | ${round1(r.peakRssMiB)} | ${before} | ${await mem()} |`
  } finally {
    await target.stop()
  }
}

/** Replaces the text between the soak markers in docs/reliability.md. */
function writeSoakSection(body: string): void {
  const text = readFileSync(DOC, 'utf8')
  const start = '<!-- soak:start -->'
  const end = '<!-- soak:end -->'
  const a = text.indexOf(start)
  const b = text.indexOf(end)
  if (a < 0 || b < a) throw new Error('docs/reliability.md has no soak markers')
  writeFileSync(DOC, text.slice(0, a + start.length) + '\n' + body + '\n' + text.slice(b))
}

const only = process.argv[2]
if (only !== undefined && !['scale', 'sessions', 'server'].includes(only)) throw new Error(`npm run soak -- [server|scale|sessions], got ${only}`)
if (!only || only === 'server') await main()
if (!only || only === 'scale') await scale()
if (!only || only === 'sessions') await sessions()
