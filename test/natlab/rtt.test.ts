// Issue 14 item 2: RTT and loss that match `ping` on the same path. Two public lab hosts; in the
// same run, `ping -c 20 -i 0.05` between them and a peerlens session (no TURN, no throughput):
// the direct path's RTT p50 from the UDP echo train is within 1 ms of ping's median, with no loss.
// Then an `iptables -m statistic` rule drops 2 % of the probe datagrams that arrive at the joiner: both sides' trains
// (400 probes each) report about 2 % round-trip loss, all of it host to joiner.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, labUnavailable, type Lab, type LabHost } from './lab'
import { startHost, startSignal } from './pair'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'
import { p50 } from '../../src/shared/percentile'
import type { PathMeasurement } from '../../src/shared/report'

const unavailable = await labUnavailable()

interface Run {
  host: PathMeasurement
  join: PathMeasurement
}

describe.skipIf(!!unavailable)(`RTT and loss against ping${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let a: LabHost
  let b: LabHost
  const dir = tempDir('rtt')

  beforeAll(async () => {
    lab = await createLab()
    a = await lab.addHost('none', 'a')
    b = await lab.addHost('none', 'b')
    await startSignal(lab)
  }, 60_000)
  afterAll(() => lab?.teardown(), 60_000)

  /** `peerlens host` on a, `peerlens join` on b: each side's direct path as its report has it (its own echo train). */
  async function session(tag: string): Promise<Run> {
    const args = ['--stun', lab.stun.url, '--no-nat', '--throughput-mb', '0']
    const hostReport = join(dir, `${tag}-host.json`)
    const joinReport = join(dir, `${tag}-join.json`)
    const host = await startHost(lab, a.ns, hostReport, args)
    const joined = await lab.exec(b.ns, process.execPath, [BIN, 'join', host.invite, '--timeout', '40', '--report', joinReport, ...args], { timeoutMs: 60_000 })
    const code = await host.exit
    if (code !== 0 || joined.code !== 0) throw new Error(`peerlens pair failed (host ${code}, join ${joined.code}): ${host.stderr().slice(-1500)} ${joined.stderr.slice(-1500)}`)
    const direct = (file: string): PathMeasurement => {
      const d = (JSON.parse(readFileSync(file, 'utf8')) as { paths?: { direct?: PathMeasurement } }).paths?.direct
      if (!d) throw new Error(`${file}: no direct path measured`)
      return d
    }
    return { host: direct(hostReport), join: direct(joinReport) }
  }

  /** ping's round trips, ms. */
  async function ping(from: LabHost, to: LabHost): Promise<number[]> {
    const r = await lab.exec(from.ns, 'ping', ['-n', '-c', '20', '-i', '0.05', to.address], { timeoutMs: 20_000 })
    const times = [...r.stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]))
    if (times.length < 15) throw new Error(`ping failed: ${r.stdout}${r.stderr}`)
    return times
  }

  it('idle link: RTT p50 within 1 ms of ping, no loss, both sides by UDP echo train', { timeout: 120_000 }, async () => {
    const pingMs = p50(await ping(a, b))!
    const run = await session('idle')
    const context = JSON.stringify({ pingMs, host: { ...run.host, rttSamplesMs: undefined }, join: { ...run.join, rttSamplesMs: undefined } })
    for (const side of [run.host, run.join]) {
      expect(side.probeMethod, context).toMatch(/^UDP echo train on the selected pair: 400 probes/)
      expect(side.probesSent, context).toBe(400)
      expect(side.lossPercent, context).toBe(0)
      expect(Math.abs(side.rtt!.p50Ms - pingMs), context).toBeLessThanOrEqual(1)
      expect(side.jitter?.method, context).toMatch(/^RFC 3550/)
    }
    console.log(`rtt lab idle: ping p50 ${pingMs} ms; peerlens p50 host ${run.host.rtt!.p50Ms} ms, join ${run.join.rtt!.p50Ms} ms; jitter host ${JSON.stringify(run.host.jitter)}`)
  })

  it('2 % dropped on arrival at the joiner: about 2 % round-trip loss, all of it host to joiner', { timeout: 120_000 }, async () => {
    // Only the probe datagrams (UDP payload starting 0xF5, by u32), not the ICE, DTLS and SCTP packets that
    // set the session up: werift's DTLS handshake can stall for good when its last flight is lost (seen
    // here in 1 of about 5 runs; a werift limit noted in docs/diagnosis.md), and that is not what this measures.
    const rule = ['INPUT', '-i', 'eth0', '-p', 'udp', '-m', 'u32', '--u32', '0>>22&0x3C@8>>24=0xF5', '-m', 'statistic', '--mode', 'random', '--probability', '0.02', '-j', 'DROP']
    const added = await lab.exec(b.ns, 'iptables', ['-A', ...rule])
    if (added.code !== 0) throw new Error(`iptables statistic failed: ${added.stderr}`)
    let run: Run
    try {
      run = await session('loss2')
    } finally {
      await lab.exec(b.ns, 'iptables', ['-D', ...rule])
    }
    const context = JSON.stringify({ host: { ...run.host, rttSamplesMs: undefined }, join: { ...run.join, rttSamplesMs: undefined } })
    // Nothing is dropped toward the host: the host's train loses requests only, the joiner's replies only.
    expect(run.host.lossOneWay?.joinToHostPercent, context).toBe(0)
    expect(run.join.lossOneWay?.joinToHostPercent, context).toBe(0)
    // 800 probes at p = 0.02: 16 lost on average, sd 4; 4 to 30 lost (0.5 % to 3.75 %) is beyond 3 sd each way.
    const lost = run.host.probesSent - run.host.probesReceived + run.join.probesSent - run.join.probesReceived
    const percent = (lost / (run.host.probesSent + run.join.probesSent)) * 100
    expect(percent, context).toBeGreaterThanOrEqual(0.5)
    expect(percent, context).toBeLessThanOrEqual(3.75)
    console.log(`rtt lab 2 % drop: round-trip loss host ${run.host.lossPercent} %, join ${run.join.lossPercent} % (both ${percent.toFixed(2)} %); one way ${JSON.stringify(run.host.lossOneWay)} / ${JSON.stringify(run.join.lossOneWay)}`)
  })
})
