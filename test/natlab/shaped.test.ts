// Issue 14: on a tbf-shaped lab link, peerlens's direct-path throughput each way is within 10 % of iperf3
// TCP measured on the same link in the same run (a ratio, not a timing), and never missing.
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

  it('10 Mbit/s tbf: the direct path each way is within 10 % of iperf3, the relay path is measured both ways', { timeout: 120_000 }, async () => {
    const ref = await iperf(lab, a, b, 3)
    const ours = await peerlensPair(lab, a, b, dir, 'tbf10', ['--throughput-mb', '16'])
    const context = JSON.stringify({ iperf: ref, direct: ours.direct, relay: ours.relay })
    expect(ref.aToB, context).toBeGreaterThan(8)
    // Never missing: each window reports what arrived in it, with its length.
    for (const p of [ours.direct, ours.relay]) {
      expect(p?.hostToJoin, context).toBeGreaterThan(0)
      expect(p?.joinToHost, context).toBeGreaterThan(0)
      expect(p?.windowMs.every((ms) => ms !== null && ms >= 1000), context).toBe(true)
    }
    expect(ours.direct!.hostToJoin! / ref.aToB, context).toBeGreaterThan(0.9)
    expect(ours.direct!.joinToHost! / ref.bToA, context).toBeGreaterThan(0.9)
  })
})
