// `npm run soak -- scale`: long polls held per instance and across instances (memory and Redis),
// messages lost, and failover time when an instance is killed behind a load balancer. Bounded: a
// few minutes. Rewrites the "Scaling out" section of docs/reliability.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { forkSignal } from './soak/signal'
import { holdPolls } from './soak/longpolls'
import { startRedis } from '../test/helpers/redis'
import { roundRobin } from '../test/reliability/lbProxy'
import { httpChannel, createRoom, joinRoom } from '../src/core/signaling/client'
import { machine, today } from './doc'
import { RedisClient, parseRedisUrl } from '../src/core/signaling/redis/resp'

const POLLS = Number(process.env.SOAK_POLLS ?? 1000)
const FAILOVER_ROOMS = Number(process.env.SOAK_FAILOVER_ROOMS ?? 200)
const DOC = fileURLToPath(new URL('../docs/reliability.md', import.meta.url))
const round1 = (n: number) => Math.round(n * 10) / 10

export async function scale(): Promise<void> {
  const started = Date.now()
  const redis = await startRedis()
  const rows: string[] = []
  let lostTotal = 0
  try {
    const run = async (label: string, instances: number, url?: string, count = POLLS): Promise<void> => {
      const servers = await Promise.all(Array.from({ length: instances }, () => forkSignal(600, false, url)))
      try {
        const holding = async () => (await Promise.all(servers.map((s) => s.memory()))).reduce((n, m) => n + m.longPolls, 0)
        const r = await holdPolls(servers.map((s) => s.base), count, holding)
        const mem = await Promise.all(servers.map((s) => s.memory()))
        lostTotal += r.lost
        rows.push(`| ${label} | ${instances} | ${r.held} (${Math.round(r.held / instances)} per instance) | ${r.delivered} | ${r.lost} | ${r.deliverMs} ms | ${mem.map((m) => round1(m.heapUsedMiB)).join(' / ')} |`)
        console.log(rows[rows.length - 1])
      } finally {
        await Promise.all(servers.map((s) => s.stop()))
      }
    }
    await run('memory (no --redis)', 1)
    await run('--redis', 1, redis.url)
    await run('--redis', 2, redis.url, POLLS * 2)
    await run('--redis', 3, redis.url, POLLS * 3)
    const failover = await failoverRow(redis.url)
    console.log(failover)
    const footprint = await redisFootprint(redis.url)
    console.log(footprint)
    const body = [
      `Measured ${today()} on ${machine()} with \`npm run soak -- scale\` (${Math.round((Date.now() - started) / 1000)} s). Servers: the code \`peerlens signal\``,
      'runs, each in its own process (`bench/soak/server.ts`), sharing one local `redis-server` (no persistence) with `--redis`.',
      'Every joiner holds a 25 s long poll on one instance (round robin); once all are held, one message is posted into every',
      'room through another instance, and each poll must answer with exactly that message. Heap is each instance\'s heap after a',
      'full GC with all polls held.',
      '',
      '| store | instances | long polls held | delivered | lost | time to deliver all | heap per instance, MiB |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Failover: two \`--redis\` instances behind a round-robin TCP proxy (\`test/reliability/lbProxy.ts\`, the load balancer);`,
      `${FAILOVER_ROOMS} rooms whose joiners poll through it with the project's client (\`httpChannel\`, which asks again with the same`,
      'cursor after a failed poll: 100 ms, then doubling). One instance is killed (SIGKILL) while every joiner waits; a message is',
      'then posted into every room, all at once. Failover time is from the kill to the delivery of that message, per room.',
      '',
      '| rooms | delivered | lost | failover time p50 / max | posts that failed and the sender sent again |',
      '| --- | --- | --- | --- | --- |',
      failover,
      '',
      `What Redis holds: ${FOOTPRINT_ROOMS} rooms, each with a host and a joiner and ${FOOTPRINT_MESSAGES} undelivered candidate messages of about`,
      '150 bytes (a session mid-exchange), created through one instance; Redis `used_memory` before and after.',
      '',
      '| rooms | messages | Redis used_memory growth | per room |',
      '| --- | --- | --- | --- |',
      footprint
    ].join('\n')
    writeSection(body)
    if (lostTotal) process.exitCode = 1
  } finally {
    await redis.stop()
  }
}

async function failoverRow(url: string): Promise<string> {
  const servers = await Promise.all([forkSignal(600, false, url), forkSignal(600, false, url)])
  const lb = await roundRobin(servers.map((s) => s.port))
  const base = `http://127.0.0.1:${lb.port}/`
  const channels: Array<{ close(): Promise<void> }> = []
  try {
    const got = new Map<number, number>()
    const rooms = []
    for (let i = 0; i < FAILOVER_ROOMS; i++) {
      const created = await createRoom(base)
      const joined = await joinRoom(base, created.room, created.secret)
      const channel = httpChannel(base, created.room, 'join', joined.token, { waitSeconds: 25 })
      channel.start((m) => {
        if (m.type === 'ping' && !got.has(i)) got.set(i, Date.now())
      })
      channels.push(channel)
      rooms.push(created)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const killedAt = Date.now()
    servers[0]!.kill()
    // Every room gets its message at once (in parallel), so the time measured is the failover, not
    // the time to post 200 messages one after another. A post that still fails is asked again.
    let retried = 0
    await Promise.all(
      rooms.map(async (room, i) => {
        const host = httpChannel(base, room.room, 'host', room.hostToken)
        for (let attempt = 0; ; attempt++) {
          try {
            await host.send('ping', { i })
            return
          } catch (err) {
            if (attempt >= 3) throw err
            retried++
          }
        }
      })
    )
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && got.size < rooms.length; ) await new Promise((resolve) => setTimeout(resolve, 50))
    const times = [...got.values()].map((t) => t - killedAt).sort((a, b) => a - b)
    const p50 = times[Math.floor(times.length / 2)] ?? NaN
    return `| ${rooms.length} | ${got.size} | ${rooms.length - got.size} | ${p50} / ${times[times.length - 1] ?? NaN} ms | ${retried} |`
  } finally {
    await Promise.all(channels.map((c) => c.close()))
    await lb.close()
    await Promise.all(servers.map((s) => s.stop()))
  }
}

const FOOTPRINT_ROOMS = 2000
const FOOTPRINT_MESSAGES = 10

async function redisFootprint(url: string): Promise<string> {
  const client = new RedisClient(parseRedisUrl(url))
  await client.connect()
  const used = async () => Number(/used_memory:(\d+)/.exec(String(await client.command(['INFO', 'memory'])))![1])
  const server = await forkSignal(600, false, url)
  try {
    await client.command(['FLUSHALL'])
    const before = await used()
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 192.168.1.20 54321 typ host generation 0 ufrag abcd network-id 1', sdpMid: '0', sdpMLineIndex: 0 }
    for (let i = 0; i < FOOTPRINT_ROOMS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          const created = await createRoom(server.base)
          await joinRoom(server.base, created.room, created.secret)
          const host = httpChannel(server.base, created.room, 'host', created.hostToken)
          for (let m = 0; m < FOOTPRINT_MESSAGES; m++) await host.send('candidate', candidate)
        })
      )
    }
    const grown = (await used()) - before
    return `| ${FOOTPRINT_ROOMS} | ${FOOTPRINT_ROOMS * FOOTPRINT_MESSAGES} | ${round1(grown / 2 ** 20)} MiB | ${round1(grown / FOOTPRINT_ROOMS / 1024)} KiB |`
  } finally {
    client.close()
    await server.stop()
  }
}

function writeSection(body: string): void {
  const text = readFileSync(DOC, 'utf8')
  const start = '<!-- scale:start -->'
  const end = '<!-- scale:end -->'
  const a = text.indexOf(start)
  const b = text.indexOf(end)
  if (a < 0 || b < a) throw new Error('docs/reliability.md has no scale markers')
  writeFileSync(DOC, text.slice(0, a + start.length) + '\n' + body + '\n' + text.slice(b))
}
