// Data channel throughput between two werift peers on loopback: werift's defaults (the reference)
// against peerlens's tuned settings, in one process and between two processes.
// `npx tsx bench/throughput.ts` (writes the "Data channel throughput" section of docs/benchmarks.md).
// Env: BENCH_TP_RUNS (default 3), BENCH_TP_MIB (per direction and run, default 32), BENCH_TP_SECONDS (cap, default 5),
// BENCH_TP_ONLY=<part of a setting name> to run some rows, BENCH_TP_RWND=<bytes> for the patch's receive window, BENCH_TP_NO_DOC=1 to print only.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { RTCPeerConnection, type RTCDataChannel, type RTCPeerConnectionConfig } from 'werift'
import { attachThroughput, measureThroughput, type DirectionResult, type ThroughputOptions } from '../src/core/measure/throughput'
import { connectLoopbackPair, loopbackConfig, withTimeout } from '../src/core/werift/loopbackPair'
import { installSctpThroughputPatch } from '../src/core/werift/sctpThroughput'
import { enlargeUdpBuffers } from '../src/core/werift/udpBuffers'
import { StunResponder } from '../src/core/stun/responder'
import { loadavg } from 'node:os'
import { machine, round, today, writeSection } from './doc'

interface Setting {
  name: string
  /** Install the SCTP patch (src/core/werift/sctpThroughput.ts) on both sides. */
  patch: boolean
  /** SCTP packet size (werift's `sctp.mtu`); undefined = werift's default 1191. */
  mtu?: number
  /** Enlarge the UDP socket buffers to 4 MiB (src/core/werift/udpBuffers.ts) on both sides. */
  udpBuffers?: boolean
  /** Message size; undefined = measureThroughput's default (whole SCTP packets, up to 64 KiB). */
  messageSize?: number
  /** Send buffer high-water mark; low-water mark is a quarter of it. */
  highWater: number
  note: string
}

const SETTINGS: Setting[] = [
  { name: 'reference', patch: false, messageSize: 65536, highWater: 1 << 20, note: 'werift 0.25 defaults (SCTP MTU 1191, OS socket buffers), 64 KiB messages, 1 MiB send buffer' },
  { name: 'reference, 8 MiB buffer', patch: false, messageSize: 65536, highWater: 8 << 20, note: 'as reference, with an 8 MiB send buffer' },
  { name: 'MTU 16000 only', patch: false, mtu: 16_000, messageSize: 65536, highWater: 1 << 20, note: 'werift unpatched, `sctp: { mtu: 16000 }` only, 64 KiB messages' },
  { name: 'tuned, MTU 1191', patch: true, udpBuffers: true, highWater: 1 << 20, note: 'SCTP patch (ack every 2nd packet, one flush loop) + 4 MiB UDP socket buffers + messages of whole SCTP packets (64960 bytes), werift default MTU (what an internet path gets)' },
  { name: 'tuned, MTU 1191, 8 MiB buffer', patch: true, udpBuffers: true, highWater: 8 << 20, note: 'as tuned MTU 1191, with an 8 MiB send buffer' },
  { name: 'tuned (loopback)', patch: true, udpBuffers: true, mtu: 16_000, highWater: 1 << 20, note: 'as tuned MTU 1191, with SCTP MTU 16000 (one DTLS record per packet; messages of 4 packets, 63888 bytes)' }
]

const RUNS = Number(process.env.BENCH_TP_RUNS ?? 3)
const BYTES = Number(process.env.BENCH_TP_MIB ?? 32) * 1024 * 1024
const SECONDS = Number(process.env.BENCH_TP_SECONDS ?? 5)
const SELF = fileURLToPath(import.meta.url)
/** BENCH_TP_RWND=<bytes> overrides the patch's receive window (to compare windows). */
const PATCH_OPTIONS = process.env.BENCH_TP_RWND ? { receiveWindow: Number(process.env.BENCH_TP_RWND) } : {}

function configOf(s: Setting): Partial<RTCPeerConnectionConfig> {
  return s.mtu ? { sctp: { mtu: s.mtu } } : {}
}

function options(s: Setting, direction: ThroughputOptions['direction']): ThroughputOptions {
  return { direction, bytes: BYTES, seconds: SECONDS, messageSize: s.messageSize, highWaterMark: s.highWater, lowWaterMark: s.highWater / 4, graceMs: 30_000 }
}

interface Sample {
  oneWay: number
  /** One-way test: payload MB per CPU-second of the busiest process (in one process: both peers together). */
  cpuRate: number
  bothUp: number
  bothDown: number
}

const mbps = (r: DirectionResult | undefined): number => {
  if (!r || r.bytes !== r.sentBytes) throw new Error(`byte count mismatch: ${JSON.stringify(r)}`)
  return r.MBps
}

/** Creates the connection with the patch installed only while its SCTP association is set up. */
async function withPatch<T>(patch: boolean, fn: () => Promise<T>): Promise<T> {
  if (!patch) return fn()
  const uninstall = installSctpThroughputPatch(PATCH_OPTIONS)
  try {
    return await fn()
  } finally {
    uninstall()
  }
}

async function inProcess(s: Setting, stunUrl: string): Promise<Sample> {
  const pair = await withPatch(s.patch, () => connectLoopbackPair({ stunUrl, config: configOf(s) }))
  try {
    if (s.udpBuffers) for (const pc of [pair.offerer, pair.answerer]) enlargeUdpBuffers(pc)
    attachThroughput(pair.b)
    const cpu0 = process.cpuUsage()
    const one = await measureThroughput(pair.a, options(s, 'send'))
    const cpu = process.cpuUsage(cpu0)
    const both = await measureThroughput(pair.a, options(s, 'both'))
    const cpuRate = one.send!.bytes / 1e6 / ((cpu.user + cpu.system) / 1e6)
    return { oneWay: mbps(one.send), cpuRate: round(cpuRate), bothUp: mbps(both.send), bothDown: mbps(both.receive) }
  } finally {
    await pair.close()
  }
}

/** The other process: answers an offer read from stdin, serves throughput tests until stdin closes. */
async function peerMain(settingJson: string, stunUrl: string): Promise<void> {
  const s = JSON.parse(settingJson) as Setting
  if (s.patch) installSctpThroughputPatch(PATCH_OPTIONS)
  const pc = new RTCPeerConnection(loopbackConfig(stunUrl, configOf(s)))
  pc.onDataChannel.subscribe((dc) => attachThroughput(dc))
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    if (line === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.stdout.write(`${user + system}\n`)
      continue
    }
    const offer = JSON.parse(line) as { type: 'offer'; sdp: string }
    await pc.setRemoteDescription(offer)
    await pc.setLocalDescription(await pc.createAnswer())
    await gathered(pc)
    if (s.udpBuffers) enlargeUdpBuffers(pc)
    process.stdout.write(JSON.stringify(pc.localDescription) + '\n')
  }
  await pc.close()
  process.exit(0)
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => pc.iceGatheringStateChange.subscribe((st) => st === 'complete' && resolve()))
}

async function crossProcess(s: Setting, stunUrl: string): Promise<Sample> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', SELF, '--peer', JSON.stringify(s), stunUrl], { stdio: 'pipe' })
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const [pc, dc] = await withPatch(s.patch, async (): Promise<[RTCPeerConnection, RTCDataChannel]> => {
    const pc = new RTCPeerConnection(loopbackConfig(stunUrl, configOf(s)))
    return [pc, pc.createDataChannel('peerlens', { ordered: true })]
  })
  try {
    await pc.setLocalDescription(await pc.createOffer())
    await gathered(pc)
    if (s.udpBuffers) enlargeUdpBuffers(pc)
    const waiting: Array<(line: string) => void> = []
    createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line))
    const ask = (line: string): Promise<string> => {
      const reply = new Promise<string>((resolve, reject) => {
        waiting.push(resolve)
        child.once('exit', () => reject(new Error('peer process exited')))
      })
      child.stdin.write(line + '\n')
      return withTimeout(reply, 20_000, 'no reply from the peer process')
    }
    const childCpu = async (): Promise<number> => Number(await ask('cpu'))
    await pc.setRemoteDescription(JSON.parse(await ask(JSON.stringify(pc.localDescription))) as { type: 'answer'; sdp: string })
    await withTimeout(
      new Promise<void>((resolve) => (dc.readyState === 'open' ? resolve() : dc.stateChanged.subscribe((st) => st === 'open' && resolve()))),
      20_000,
      'cross-process data channel did not open'
    )
    // The peer attaches its endpoint when the channel arrives; give that a moment before the first REQUEST.
    await new Promise((r) => setTimeout(r, 100))
    const [own0, other0] = [process.cpuUsage(), await childCpu()]
    const one = await measureThroughput(dc, options(s, 'send'))
    const own = process.cpuUsage(own0)
    const other = (await childCpu()) - other0
    const busiest = Math.max(own.user + own.system, other) / 1e6
    const both = await measureThroughput(dc, options(s, 'both'))
    return { oneWay: mbps(one.send), cpuRate: round(one.send!.bytes / 1e6 / busiest), bothUp: mbps(both.send), bothDown: mbps(both.receive) }
  } finally {
    child.stdin.end()
    await pc.close()
    await withTimeout(exited, 10_000, 'peer process did not exit').catch(() => child.kill())
  }
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

interface Row {
  setting: Setting
  where: 'in one process' | 'two processes'
  samples: Sample[]
}

async function main(): Promise<void> {
  const stun = new StunResponder()
  const stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
  const rows: Row[] = []
  const loadBefore = loadavg()[0]!
  try {
    for (const where of ['in one process', 'two processes'] as const) {
      for (const setting of SETTINGS.filter((x) => !process.env.BENCH_TP_ONLY || x.name.includes(process.env.BENCH_TP_ONLY))) {
        const row: Row = { setting, where, samples: [] }
        for (let i = 0; i < RUNS; i++) {
          const sample = where === 'in one process' ? await inProcess(setting, stunUrl) : await crossProcess(setting, stunUrl)
          row.samples.push(sample)
          console.log(`${where} | ${setting.name} | run ${i + 1}: one way ${sample.oneWay} MB/s (CPU-bound ${sample.cpuRate}), both ways ${sample.bothUp} + ${sample.bothDown} MB/s`)
        }
        rows.push(row)
      }
    }
  } finally {
    await stun.close()
  }
  const loadAfter = loadavg()[0]!

  const table = rows.map((r) => {
    const one = r.samples.map((s) => s.oneWay)
    const up = median(r.samples.map((s) => s.bothUp))
    const down = median(r.samples.map((s) => s.bothDown))
    const perCpuSecond = round(median(r.samples.map((s) => s.cpuRate)))
    return `| ${r.where} | ${r.setting.name} | ${round(median(one))} | ${round(Math.min(...one))}–${round(Math.max(...one))} | ${round(up)} + ${round(down)} = ${round(up + down)} | ${perCpuSecond} |`
  })
  const body = [
    `Measured ${today()} on ${machine()}. Command: \`npx tsx bench/throughput.ts\` (${RUNS} runs per row, each up to ${BYTES / 2 ** 20} MiB or ${SECONDS} s per direction; MB = 10^6 bytes).`,
    '',
    'Two werift 0.25 peers on 127.0.0.1, the ordered data channel "peerlens", timed by the receiver with `measureThroughput` (src/core/measure/throughput.ts): 64 KiB messages for the reference rows, whole SCTP packets up to 64 KiB for the tuned ones, queued while bufferedAmount is below the high-water mark and resumed on bufferedamountlow at a quarter of it. "Both ways" sends in both directions at once (up + down). Goal: at least 40 MB/s one way. See docs/throughput.md.',
    '',
    '| where | setting | one way, median MB/s | one way, min–max | both ways at once, MB/s (median) | one way, CPU-bound rate, MB/s |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...table,
    '',
    'Settings:',
    '',
    ...SETTINGS.map((s) => `- **${s.name}**: ${s.note}.`),
    '',
    `In one process both peers share one thread, so those rows are lower bounds; two processes give each peer its own core. The machine is shared: 1-minute load average ${round(loadBefore, 2)} at the start and ${round(loadAfter, 2)} at the end of the run, so wall-clock numbers vary from run to run; the last column is the steadier figure for comparing settings: payload MB moved per CPU-second of the busiest process in the one-way test (in one process: both peers together), i.e. the one-way rate when that process has a core to itself.`
  ].join('\n')
  console.log('\n' + body)
  if (!process.env.BENCH_TP_NO_DOC) writeSection('Data channel throughput', body)
}

if (process.argv[2] === '--peer') {
  void peerMain(process.argv[3]!, process.argv[4]!)
} else {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err)
      process.exit(1)
    }
  )
}
