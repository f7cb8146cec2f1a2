// Issue 14: on a tbf-shaped lab link, peerlens's path throughput (paced UDP on the selected pair) is
// within 10 % of iperf3 TCP measured on the same link in the same run (a ratio, not a timing), for the
// direct and the relay path, both ways, none missing; and the session's measurement keeps its budget
// (both paths, both ways under 10 s on a 10 Mbit/s link).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, labUnavailable, type Lab, type LabHost } from './lab'
import { startSignal } from './pair'
import { iperf, peerlensPair, shape } from '../../bench/shapedLink'
import { tempDir } from '../helpers/tempDir'
import { execFileSync } from 'node:child_process'

function iperfMissing(): string | undefined {
  try {
    execFileSync('iperf3', ['--version'], { stdio: 'ignore' })
    return undefined
  } catch {
    return 'iperf3 is not installed (apt-get install iperf3)'
  }
}

const unavailable = (await labUnavailable()) ?? iperfMissing()

describe.skipIf(!!unavailable)(`throughput on a shaped link${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let a: LabHost
  let b: LabHost
  const dir = tempDir('shaped')

  beforeAll(async () => {
    lab = await createLab()
    a = await lab.addHost('none', 'a')
    b = await lab.addHost('none', 'b')
    await startSignal(lab)
    await shape(lab, [a, b], { mbit: 10 })
  }, 60_000)
  afterAll(() => lab?.teardown(), 60_000)

  it('10 Mbit/s tbf: direct and relay, both ways, within 10 % of iperf3; the measurement takes under 10 s', { timeout: 120_000 }, async () => {
    const ref = await iperf(lab, a, b, 3)
    const ours = await peerlensPair(lab, a, b, dir, 'tbf10', ['--throughput-mb', '16'])
    const context = JSON.stringify({ iperf: ref, direct: ours.direct, relay: ours.relay, measureMs: ours.measureMs, timeline: ours.timeline })
    console.log(`shaped 10 Mbit/s: ${context}`)
    expect(ref.aToB, context).toBeGreaterThan(8)
    for (const p of [ours.direct, ours.relay]) {
      expect(p?.method, context).toMatch(/paced UDP/)
      // Never missing, and within 10 % of iperf3 each way.
      expect(Math.abs(p!.hostToJoin! / ref.aToB - 1), context).toBeLessThan(0.1)
      expect(Math.abs(p!.joinToHost! / ref.bToA - 1), context).toBeLessThan(0.1)
      expect(p?.windowMs.every((ms) => ms !== null && ms > 0), context).toBe(true)
    }
    // The UDP rate under 1 % loss is there each way on the path the session uses (direct here), and under its capacity.
    const used = ours.direct!
    expect(used.udp?.hostToJoin, context).toBeGreaterThan(0)
    expect(used.udp?.joinToHost, context).toBeGreaterThan(0)
    expect(used.udp!.hostToJoin!, context).toBeLessThanOrEqual(used.hostToJoin! * 1.02)
    // Beside it, the data channel's own figure on that path.
    expect(used.dataChannel?.hostToJoin, context).toBeGreaterThan(0)
    const report = ours.report as { paths: { overhead?: { throughputRatio: number | null } } }
    expect(report.paths.overhead?.throughputRatio, context).toBeGreaterThan(0)
    // A budget check, not a speed goal: both paths, both ways, within 10 s.
    expect(ours.measureMs, context).toBeLessThan(10_000)
  })
})
