// Issue 14: on a tbf-shaped lab link, peerlens's throughput is never missing: each direction of each
// path reports what arrived in its window. The ratio to iperf3 TCP on the same link, measured in the
// same run, is printed; the 10 % bound the issue asks for is not met yet host to joiner (docs/throughput.md).
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

  it('10 Mbit/s tbf: both paths are measured both ways, with their windows; the ratio to iperf3 is reported', { timeout: 120_000 }, async () => {
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
    console.log(`shaped 10 Mbit/s: direct ${(ours.direct!.hostToJoin! / ref.aToB).toFixed(2)} / ${(ours.direct!.joinToHost! / ref.bToA).toFixed(2)} of iperf3 (host to joiner / joiner to host); ${context}`)
  })
})
