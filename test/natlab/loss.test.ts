// `peerlens nat` on lossy links (busy Wi-Fi, mobile): random UDP loss on the router, 10% and 20%,
// every NAT kind, several runs each, and every run must classify right. One lost reply to a
// change-port test must never read as "filtered", nor a lost mapping reply as "unknown".
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, EXPECTED, forgetRecentPeers, hasNft, labUnavailable, NAT_KINDS, setUdpLoss, type Lab, type NatKind } from './lab'
import { natCommandLine, REPO } from './natCli'

const unavailable = await labUnavailable()
const nft = unavailable ? false : await hasNft()
const kinds = NAT_KINDS.filter((k) => k !== 'address-restricted' || nft)
/** Runs per kind and loss level: 8 kinds x 2 levels x RUNS whole processes. */
const RUNS = Number(process.env.PEERLENS_LOSS_RUNS ?? 5)
const LOSSES = [10, 20]

describe.skipIf(!!unavailable)(`NAT discovery under random UDP loss${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  const cli = natCommandLine()
  const unbuilt = new Map<NatKind, string>()

  beforeAll(async () => {
    lab = await createLab()
    for (const kind of kinds) {
      try {
        await lab.addHost(kind)
      } catch (err) {
        if (kind !== 'address-restricted-host') throw err
        unbuilt.set(kind, (err as Error).message.split('\n')[0]!)
      }
    }
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  for (const loss of LOSSES) {
    it.for(kinds)(`${loss}%: %s, every run right`, { timeout: 120_000 }, async (kind, ctx) => {
      if (unbuilt.has(kind)) return ctx.skip(unbuilt.get(kind))
      const host = lab.hosts.find((h) => h.kind === kind)!
      await setUdpLoss(lab, host, loss)
      const wrong: string[] = []
      const notes: string[] = []
      try {
        for (let i = 0; i < RUNS; i++) {
          // Each run as on a fresh router: the per-host `recent` list would otherwise remember the last run's alternate address.
          await forgetRecentPeers(host)
          const r = await lab.exec(host.ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--json'], { cwd: REPO, timeoutMs: 30_000 })
          let json: Record<string, string>
          try {
            json = JSON.parse(r.stdout)
          } catch {
            wrong.push(`run ${i + 1}: no JSON (exit ${r.code}): ${r.stderr.slice(-500)}`)
            continue
          }
          const got = { mapping: json.mapping, filtering: json.filtering, classic: json.classic }
          if (JSON.stringify(got) !== JSON.stringify(EXPECTED[kind])) wrong.push(`run ${i + 1}: ${JSON.stringify(got)}: ${json.reason}`)
          if (/lost packets/.test(json.reason ?? '')) notes.push(json.reason!.replace(/^.*The path lost/, 'lost'))
        }
      } finally {
        await setUdpLoss(lab, host, 0)
      }
      console.info(`nat lab ${kind} at ${loss}% loss: ${RUNS - wrong.length}/${RUNS} right${notes.length ? `; ${notes[0]}` : ''}`)
      expect(wrong, `${kind} at ${loss}% loss`).toEqual([])
    })
  }
})
