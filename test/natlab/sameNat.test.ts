// Two peers behind the same router, each on its own segment that cannot reach the other (guest
// Wi-Fi, office VLANs): direct only when the router loops packets sent to its own public address
// back inside (hairpinning). `peerlens host` and `peerlens join` as whole processes; the verdict,
// the prediction, the findings and the remedy asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { addSharedRouter, createLab, hasNft, labUnavailable, type Lab, type LabHost } from './lab'
import { startHost, startSignal } from './pair'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'
import { findings } from '../../src/shared/diagnosis/findings'
import type { Report } from '../../src/shared/report'

const unavailable = (await labUnavailable()) ?? ((await hasNft()) ? undefined : 'nft (nftables) is not installed')
const dir = tempDir('samenat')

describe.skipIf(!!unavailable)(`two peers behind one router${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  const pairs = new Map<boolean, [LabHost, LabHost]>()

  beforeAll(async () => {
    lab = await createLab()
    pairs.set(false, await addSharedRouter(lab, { hairpin: false, names: ['guest-a', 'guest-b'] }))
    pairs.set(true, await addSharedRouter(lab, { hairpin: true, names: ['vlan-a', 'vlan-b'] }))
    await startSignal(lab)
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  const ice = () => ['--stun', lab.stun.url, '--turn', lab.turn.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential]

  async function session(hairpin: boolean): Promise<{ report: Report; context: string }> {
    const [a, b] = pairs.get(hairpin)!
    const file = join(dir, `${hairpin ? 'hairpin' : 'no-hairpin'}.json`)
    const host = await startHost(lab, a.ns, file, ice())
    const joined = await lab.exec(b.ns, process.execPath, [BIN, 'join', host.invite, '--timeout', '40', ...ice()], { timeoutMs: 70_000 })
    const code = await host.exit
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report
    const context = `${report.connection.reason}\nprediction: ${report.prediction?.reason}\n--- host ---\n${host.stderr().slice(-3000)}\n--- join ---\n${joined.stderr.slice(-3000)}`
    expect(code, context).toBe(0)
    expect(joined.code, context).toBe(0)
    return { report, context }
  }

  it('without hairpinning: relayed, predicted relay, and the remedy is NAT loopback or a route between the segments', { timeout: 90_000 }, async () => {
    const { report, context } = await session(false)
    const sides = report.sides.map((s) => (s.missing ? null : s.nat))
    expect(sides.map((n) => n?.hairpin), context).toEqual([false, false])
    expect(sides[0]!.mapped!.address).toBe(sides[1]!.mapped!.address)
    expect(report.connection.verdict, context).toBe('relayed')
    expect(report.prediction, context).toMatchObject({ verdict: 'relayed', reason: expect.stringMatching(/same public address .*does not loop back \(no hairpin\) and the segments are separate/) })
    const found = findings(report).find((f) => f.remedy?.id === 'no-hairpin')
    expect(found?.level, context).toBe('bad')
    expect(found!.remedy!.evidence).toMatch(/hairpin test of the host and the joiner got nothing back/)
    expect(report.remedies?.[0]).toMatchObject({ rank: 1, id: 'no-hairpin', action: expect.stringMatching(/NAT loopback/) })
  })

  it('with hairpinning: direct, predicted direct via the hairpin, and the reason names it', { timeout: 90_000 }, async () => {
    const { report, context } = await session(true)
    expect(report.sides.map((s) => (s.missing ? null : s.nat?.hairpin)), context).toEqual([true, true])
    expect(report.connection.verdict, context).toBe('direct')
    expect(report.prediction, context).toMatchObject({ verdict: 'direct', reason: expect.stringMatching(/direct via the hairpin/) })
    const pair = report.connection.selectedPair!
    // The host candidates cannot reach each other: the pair is server-reflexive, through the router.
    expect(pair.remote.type, context).not.toBe('host')
    expect(report.connection.reason, context).toMatch(/through the router's hairpin/)
    expect(findings(report).filter((f) => f.remedy?.id === 'no-hairpin')).toEqual([])
  })
})
