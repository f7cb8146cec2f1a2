// A shaped link in the NAT lab, with iperf3 as the reference: shared by `bench/shaped.ts` and
// test/natlab/shaped.test.ts. Two public hosts on the lab's bridge; each one's eth0 egress goes through a
// token bucket (tc tbf) at the link rate, so every path between them (direct, or through coturn) is
// shaped both ways. Loss is an iptables `statistic` drop on each host's INPUT (this kernel has no netem).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Lab, LabHost } from '../test/natlab/lab'
import { BIN } from '../test/helpers/cli'
import { SIGNAL, startHost } from '../test/natlab/pair'

export interface Shape {
  mbit: number
  /** Random loss on arrival at each host, percent (0: none). */
  lossPercent?: number
}

/** tbf on both hosts' eth0 and, with loss, a random drop rule on both INPUT chains. */
export async function shape(lab: Lab, hosts: LabHost[], s: Shape): Promise<void> {
  const bytesPerSecond = (s.mbit * 1e6) / 8
  // The bucket must hold at least one timer tick of tokens; 50 ms of queue like a modest router.
  const burst = Math.max(32_000, Math.round(bytesPerSecond / 100))
  for (const h of hosts) {
    await lab.exec(h.ns, 'tc', ['qdisc', 'del', 'dev', 'eth0', 'root'])
    const r = await lab.exec(h.ns, 'tc', ['qdisc', 'add', 'dev', 'eth0', 'root', 'tbf', 'rate', `${s.mbit}mbit`, 'burst', String(burst), 'latency', '50ms'])
    if (r.code !== 0) throw new Error(`tc tbf failed: ${r.stderr.trim()}`)
    await lab.exec(h.ns, 'iptables', ['-F', 'INPUT'])
    if (s.lossPercent) {
      const p = String(s.lossPercent / 100)
      const d = await lab.exec(h.ns, 'iptables', ['-A', 'INPUT', '-i', 'eth0', '-m', 'statistic', '--mode', 'random', '--probability', p, '-j', 'DROP'])
      if (d.code !== 0) throw new Error(`iptables statistic failed: ${d.stderr.trim()}`)
    }
  }
}

export interface Iperf {
  /** Mbit/s received, a to b and b to a (TCP, -t seconds each, one after the other). */
  aToB: number
  bToA: number
}

/** iperf3 TCP between two lab hosts, each way for `seconds` after one second left out: the reference. */
export async function iperf(lab: Lab, a: LabHost, b: LabHost, seconds = 3): Promise<Iperf> {
  const server = lab.spawn(b.ns, 'iperf3', ['-s', '-B', b.address, '-p', '5201'])
  try {
    await new Promise((r) => setTimeout(r, 300))
    const once = async (reverse: boolean): Promise<number> => {
      for (let tries = 0; ; tries++) {
        // --omit 1: slow start and the first queue overflow are not the link's rate (peerlens's figure is steady state too).
        const r = await lab.exec(a.ns, 'iperf3', ['-c', b.address, '-p', '5201', '-t', String(seconds), '-O', '1', '-J', ...(reverse ? ['-R'] : [])], { timeoutMs: (seconds + 16) * 1000 })
        try {
          const j = JSON.parse(r.stdout) as { end: { sum_received: { bits_per_second: number } } }
          return Math.round(j.end.sum_received.bits_per_second / 1e4) / 100
        } catch {
          if (tries >= 3) throw new Error(`iperf3 failed: ${r.stderr || r.stdout.slice(0, 300)}`)
          await new Promise((r) => setTimeout(r, 300))
        }
      }
    }
    const aToB = await once(false)
    const bToA = await once(true)
    return { aToB, bToA }
  } finally {
    server.kill('SIGKILL')
  }
}

export interface PathFigures {
  /** Mbit/s, host to joiner and back (payload bytes that arrived in the window). */
  hostToJoin: number | null
  joinToHost: number | null
  windowMs: Array<number | null>
  /** The highest UDP rate with under 1 % loss, each way, Mbit/s. */
  udp: { hostToJoin: number | null; joinToHost: number | null } | null
  /** The data channel's own figure (SCTP), where it was measured. */
  dataChannel: { hostToJoin: number | null; joinToHost: number | null } | null
  method: string | null
  /** The UDP steps each way, offered→delivered Mbit/s and packets received/sent (for a failure's context). */
  steps: string
}

export interface PairFigures {
  direct: PathFigures | null
  relay: PathFigures | null
  report: Record<string, unknown>
  /** The whole run: both processes from start to exit. */
  ms: number
  /** The session's measurement: from the "measuring" phase to the last throughput figure (host's clock). */
  measureMs: number | null
  /** The host's measuring events, ms since it began measuring. */
  timeline: string
}

const mbit = (bps: unknown): number | null => (typeof bps === 'number' ? Math.round((bps * 8) / 1e4) / 100 : null)

interface ThroughputJson {
  hostToJoinBps: number | null
  joinToHostBps: number | null
  hostToJoinMs?: number
  joinToHostMs?: number
  method?: string
}

interface PathJson {
  throughput?: ThroughputJson
  dataChannel?: ThroughputJson
  udp?: { hostToJoin: UdpJson | null; joinToHost: UdpJson | null }
}

interface UdpJson {
  maxRateBps: number | null
  steps: Array<{ offeredBps: number; deliveredBps: number; sent: number; received: number; ms: number }>
}

const stepList = (d: UdpJson | null | undefined): string => (d ? d.steps.map((s) => `${mbit(s.offeredBps)}→${mbit(s.deliveredBps)} ${s.received}/${s.sent} ${s.ms}ms`).join(', ') : 'none')

function figures(p: PathJson | undefined): PathFigures | null {
  const t = p?.throughput
  if (!t) return null
  const dc = p.dataChannel
  return {
    hostToJoin: mbit(t.hostToJoinBps),
    joinToHost: mbit(t.joinToHostBps),
    windowMs: [t.hostToJoinMs ?? null, t.joinToHostMs ?? null],
    udp: p.udp ? { hostToJoin: mbit(p.udp.hostToJoin?.maxRateBps), joinToHost: mbit(p.udp.joinToHost?.maxRateBps) } : null,
    dataChannel: dc ? { hostToJoin: mbit(dc.hostToJoinBps), joinToHost: mbit(dc.joinToHostBps) } : null,
    method: t.method ?? null,
    steps: `h→j: ${stepList(p.udp?.hostToJoin)}; j→h: ${stepList(p.udp?.joinToHost)}`
  }
}

/** From the host's "measuring" phase to its last throughput event, ms. */
export function measureMs(report: { sides?: Array<{ role?: string; events?: Array<{ kind: string; atMs: number; phase?: string }> }> }): number | null {
  const events = report.sides?.find((s) => s.role === 'host')?.events ?? []
  const start = events.find((e) => e.kind === 'phase' && e.phase === 'measuring')?.atMs
  const last = events.filter((e) => e.kind === 'throughput').pop()?.atMs
  return start !== undefined && last !== undefined ? Math.round(last - start) : null
}

function timeline(report: Parameters<typeof measureMs>[0]): string {
  const events = report.sides?.find((s) => s.role === 'host')?.events ?? []
  const start = events.find((e) => e.kind === 'phase' && e.phase === 'measuring')?.atMs ?? 0
  return events
    .filter((e) => e.atMs >= start && ['phase', 'path-metrics', 'throughput'].includes(e.kind))
    .map((e) => `${Math.round(e.atMs - start)} ${e.phase ?? e.kind}`)
    .join(', ')
}

/** `peerlens host` on a, `peerlens join` on b, with coturn: the direct path and the relay path measured in one session. */
export async function peerlensPair(lab: Lab, a: LabHost, b: LabHost, dir: string, tag: string, extra: string[] = []): Promise<PairFigures> {
  const ice = ['--stun', lab.stun.url, '--turn', lab.turn.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential, '--no-nat', ...extra]
  const report = join(dir, `${tag}-host.json`)
  const started = performance.now()
  const host = await startHost(lab, a.ns, report, ice)
  const joined = await lab.exec(b.ns, process.execPath, [BIN, 'join', host.invite, '--timeout', '40', '--report', join(dir, `${tag}-join.json`), ...ice], { timeoutMs: 90_000 })
  const code = await host.exit
  const ms = performance.now() - started
  if (code !== 0 || joined.code !== 0) throw new Error(`peerlens pair failed (host ${code}, join ${joined.code}): ${host.stderr().slice(-1500)} ${joined.stderr.slice(-1500)}`)
  const json = JSON.parse(readFileSync(report, 'utf8')) as { paths?: { direct?: PathJson; relay?: PathJson } }
  return {
    direct: figures(json.paths?.direct),
    relay: figures(json.paths?.relay),
    report: json as Record<string, unknown>,
    ms,
    measureMs: measureMs(json as Parameters<typeof measureMs>[0]),
    timeline: timeline(json as Parameters<typeof measureMs>[0])
  }
}

export { SIGNAL }
