// Join-to-open time on loopback and signaling relay latency. `npx tsx bench/signaling.ts`
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { SignalingServer } from '../src/core/signaling/server'
import { localHostChannel } from '../src/core/signaling/local'
import { createRoom, httpChannel, joinRoom } from '../src/core/signaling/client'
import { PeerSession } from '../src/core/peer/orchestrator'
import { installWeriftPatches } from '../src/core/werift/patches'
import { StunResponder } from '../src/core/stun/responder'
import { machine, percentile, round, today, writeSection } from './doc'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 10)
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000)
const BIN = fileURLToPath(new URL('../bin/peerlens.mjs', import.meta.url))

/** In-process: from the joiner's start to its data channel opening, through the real HTTP server. */
async function joinToOpen(server: SignalingServer, port: number): Promise<number> {
  installWeriftPatches()
  const base = `http://127.0.0.1:${port}/`
  const ice = { stun: [`stun:127.0.0.1:${port}`], turn: [], additionalHostAddresses: ['127.0.0.1'] }
  const { created, channel } = localHostChannel(server.rooms)
  const host = new PeerSession({ role: 'host', channel, ice, timeoutMs: 20_000 })
  const hostRun = host.run()
  const t0 = performance.now()
  const joined = await joinRoom(base, created.room, created.secret)
  const join = new PeerSession({ role: 'join', channel: httpChannel(base, created.room, joined.peerId, joined.token), ice, timeoutMs: 20_000 })
  let openAt = NaN
  join.on((e) => {
    if (e.kind === 'channel-open') openAt = performance.now()
  })
  const [r] = await Promise.all([join.run(), hostRun])
  await Promise.all([host.close(), join.close()])
  if (r.verdict === 'failed') throw new Error(`run failed: ${r.reason}`)
  return openAt - t0
}

/** Whole processes: `peerlens join` wall time until exit, against a running `peerlens host`. */
async function processJoin(): Promise<number> {
  const host = spawn(process.execPath, [BIN, 'host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const hostExit = new Promise((resolve) => host.on('exit', resolve))
  const invite = await new Promise<string>((resolve, reject) => {
    let out = ''
    host.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = /^invite: (\S+)$/m.exec(out)
      if (m) resolve(m[1]!)
    })
    host.on('exit', () => reject(new Error('host exited early')))
  })
  const t0 = performance.now()
  const join = spawn(process.execPath, [BIN, 'join', invite, '--offline', '--timeout', '30'], { stdio: 'ignore' })
  const code = await new Promise<number | null>((resolve) => join.on('exit', resolve))
  const ms = performance.now() - t0
  await hostExit
  if (code !== 0) throw new Error(`join exited ${code}`)
  return ms
}

/** Post-to-delivery latency of single messages to a peer that is long-polling. */
async function relayLatency(port: number): Promise<number[]> {
  const base = `http://127.0.0.1:${port}/`
  const room = await createRoom(base)
  const joined = await joinRoom(base, room.room, room.secret)
  const join = httpChannel(base, room.room, joined.peerId, joined.token)
  const host = httpChannel(base, room.room, 'host', room.hostToken)
  const latencies: number[] = []
  let resolveNext: (() => void) | undefined
  const sentAt = new Map<number, number>()
  join.start((m) => {
    const t = sentAt.get((m.data as { i: number }).i)
    if (t !== undefined) latencies.push(performance.now() - t)
    resolveNext?.()
  })
  for (let i = 0; i < MESSAGES; i++) {
    const delivered = new Promise<void>((r) => (resolveNext = r))
    sentAt.set(i, performance.now())
    await host.send('candidate', { i })
    await delivered
  }
  await Promise.all([join.close(), host.close()])
  return latencies
}

async function benchSignaling(): Promise<string> {
  const server = new SignalingServer({ rateLimit: { perSecond: 0, burst: 0 } })
  const { port } = await server.listen(0)
  const stun = new StunResponder()
  await stun.listen(port, '127.0.0.1')
  await joinToOpen(server, port) // warm-up
  const open: number[] = []
  for (let i = 0; i < RUNS; i++) open.push(await joinToOpen(server, port))
  const relay = await relayLatency(port)
  await Promise.all([server.close(), stun.close()])
  const proc: number[] = []
  for (let i = 0; i < PROCESS_RUNS; i++) proc.push(await processJoin())

  const body = `Measured ${today()} on ${machine()}. Command: \`npm run bench\` (this part: \`npx tsx bench/signaling.ts\`).

| what | runs | median | p90 | min | max |
| --- | ---: | ---: | ---: | ---: | ---: |
| join-to-open, in process (join start to data channel open, real HTTP server on loopback) | ${open.length} | ${round(percentile(open, 50))} ms | ${round(percentile(open, 90))} ms | ${round(Math.min(...open))} ms | ${round(Math.max(...open))} ms |
| \`peerlens join\` whole process, start to exit (includes Node start-up, probes and report exchange) | ${proc.length} | ${round(percentile(proc, 50))} ms | ${round(percentile(proc, 90))} ms | ${round(Math.min(...proc))} ms | ${round(Math.max(...proc))} ms |
| signaling relay latency (post to delivery to a long-polling peer) | ${relay.length} | ${round(percentile(relay, 50), 2)} ms | ${round(percentile(relay, 90), 2)} ms | ${round(Math.min(...relay), 2)} ms | ${round(Math.max(...relay), 2)} ms |

p99 relay latency: ${round(percentile(relay, 99), 2)} ms.`
  writeSection('Signaling and join-to-open (loopback)', body)
  return body
}

benchSignaling().then(
  (body) => console.log(body),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
