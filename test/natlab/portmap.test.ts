// Port mapping against Debian's miniupnpd on a lab router (issue 13): `peerlens nat --json` reports
// what the gateway offers, and says why not where it offers nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCarrierNatHost, createLab, hasMiniupnpd, hasNft, labUnavailable, startMiniupnpd, type Lab } from './lab'
import { natCommandLine, REPO } from './natCli'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN } from '../helpers/cli'
import { SIGNAL, startHost, startSignal } from './pair'
import { tempDir } from '../helpers/tempDir'

const why = (await labUnavailable()) ?? (!(await hasMiniupnpd()) ? 'miniupnpd is not installed (apt-get install miniupnpd miniupnpd-nftables)' : !(await hasNft()) ? 'nft is not installed' : undefined)
if (why) console.warn(`skipping the port-mapping lab: ${why}`)

describe.skipIf(why !== undefined)('port mapping in the NAT lab (miniupnpd)', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await createLab()
  }, 60_000)
  afterAll(async () => {
    await lab?.teardown()
  })

  async function natJson(ns: string) {
    const cli = natCommandLine()
    const r = await lab.exec(ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--json'], { cwd: REPO, timeoutMs: 30_000 })
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout)
  }

  it('behind a miniupnpd router, `peerlens nat --json` reports UPnP IGD, NAT-PMP and PCP and the external address', async () => {
    const host = await lab.addHost('port-restricted', 'upnp-home')
    const daemon = await startMiniupnpd(lab, host)
    const json = await natJson(host.ns)
    const pm = json.portMapping
    expect(pm, daemon.log()).toBeDefined()
    expect(pm.gateway).toBe(daemon.gateway)
    expect(pm.upnp, JSON.stringify(pm) + daemon.log()).toMatchObject({ available: true, externalAddress: host.publicAddress })
    expect(pm.upnp.serviceType).toMatch(/WANIPConnection/)
    expect(pm.natPmp, JSON.stringify(pm)).toMatchObject({ available: true, externalAddress: host.publicAddress })
    expect(pm.pcp, JSON.stringify(pm)).toMatchObject({ available: true })
    expect(pm.externalAddress).toBe(host.publicAddress)
    // One NAT: the gateway's external address is the one STUN saw.
    expect(json.doubleNat, JSON.stringify(json.doubleNat)).toMatchObject({ detected: false, carrierGrade: false })
    expect(json.doubleNat.evidence.join(' ')).toMatch(/the same address STUN saw/)
  }, 60_000)

  it('behind a router without port mapping, each protocol says why not, and the NAT is still classified', async () => {
    const host = await lab.addHost('symmetric', 'plain-home')
    const json = await natJson(host.ns)
    expect(json.classic).toBe('symmetric')
    const pm = json.portMapping
    expect(pm.upnp).toMatchObject({ available: false, externalAddress: null })
    expect(pm.upnp.reason).toMatch(/no SSDP answer/)
    expect(pm.natPmp.reason).toBe('the gateway refused (ICMP port unreachable: nothing listens there)')
    expect(pm.pcp.available).toBe(false)
    expect(pm.externalAddress).toBeNull()
  }, 60_000)

  it('a home NAT behind a carrier-grade NAT: "double NAT (carrier-grade NAT at hop 2, 100.64.x.1)"', async () => {
    const host = await addCarrierNatHost(lab, 'cgn-home')
    try {
      const json = await natJson(host.ns)
      expect(json.mapped.address).toBe(host.publicAddress)
      expect(json.doubleNat, JSON.stringify(json.doubleNat)).toMatchObject({ detected: true, carrierGrade: true })
      expect(json.doubleNat.reason).toContain(`double NAT (carrier-grade NAT at hop 2, ${host.carrierInside})`)
      expect(json.doubleNat.hops.slice(0, 2)).toEqual([
        { hop: 1, address: host.address.replace(/\.2$/, '.1') },
        { hop: 2, address: host.carrierInside }
      ])
      // The human output says it too.
      const cli = natCommandLine()
      const r = await lab.exec(host.ns, cli.cmd, [...cli.args, '--stun', lab.stun.url, '--no-port-mapping'], { cwd: REPO, timeoutMs: 30_000 })
      expect(r.stdout).toMatch(/double NAT: +double NAT \(carrier-grade NAT at hop 2, 100\.64\./)
    } finally {
      await host.remove()
    }
  }, 60_000)

  describe('two symmetric NATs running miniupnpd', () => {
    const dir = tempDir('portmap')
    let a: Awaited<ReturnType<Lab['addHost']>>
    let b: Awaited<ReturnType<Lab['addHost']>>
    const daemons: Array<Awaited<ReturnType<typeof startMiniupnpd>>> = []
    beforeAll(async () => {
      a = await lab.addHost('symmetric', 'pm-a')
      b = await lab.addHost('symmetric', 'pm-b')
      daemons.push(await startMiniupnpd(lab, a), await startMiniupnpd(lab, b))
      await startSignal(lab)
    }, 60_000)

    /** What the lab looked like from a host that could not reach the signaling server (for the failure message). */
    async function diagnose(hostNs: string): Promise<string> {
      const router = [a, b].find((h) => h.ns === hostNs)?.routerNs
      const steps: Array<[string, string, string[]]> = [
        [hostNs, process.execPath, ['-e', `fetch('${SIGNAL}v1/health').then(r=>console.log('health', r.status),(e)=>console.log('health failed:', e.cause?.code ?? e.message))`]],
        [hostNs, 'ping', ['-c', '2', '-W', '1', '203.0.113.2']],
        ...(router
          ? ([
              [router, 'ping', ['-c', '1', '-W', '1', '203.0.113.2']],
              [router, 'nft', ['list', 'ruleset']],
              [router, 'ip', ['-s', 'addr']],
              [router, 'ip', ['route']],
              [router, 'ip', ['neigh']],
              [lab.internetNs, 'ip', ['neigh']],
              [lab.internetNs, 'bridge', ['link']],
              [lab.internetNs, 'ip', ['-br', 'addr']]
            ] as Array<[string, string, string[]]>)
          : [])
      ]
      const out: string[] = []
      for (const [ns, cmd, args] of steps) {
        const r = await lab.exec(ns, cmd, args, { timeoutMs: 10_000 })
        out.push(`$ ${cmd === process.execPath ? 'node' : cmd} ${args.join(' ').slice(0, 60)}\n${r.stdout}${r.stderr}`)
      }
      return out.join('\n')
    }

    async function runPair(extra: string[], tag: string, hostNs = a.ns, joinNs = b.ns) {
      const ice = ['--stun', lab.stun.url, '--turn', lab.turn.url, '--turn-user', lab.turn.username, '--turn-pass', lab.turn.credential, '--throughput-mb', '0']
      const hostReport = join(dir, `${tag}-host.json`)
      const started = await startHost(lab, hostNs, hostReport, [...ice, ...extra]).catch(async (err: Error) => {
        throw new Error(`${err.message}\n${await diagnose(hostNs)}`)
      })
      const { invite, exit: hostExit } = started
      const joinReport = join(dir, `${tag}-join.json`)
      const joined = await lab.exec(joinNs, process.execPath, [BIN, 'join', invite, '--timeout', '40', '--report', joinReport, ...ice, ...extra], { timeoutMs: 70_000 })
      const hostCode = await hostExit
      const report = JSON.parse(readFileSync(hostReport, 'utf8'))
      const context = `${report.connection.reason}\n--- host stderr ---\n${started.stderr().slice(-2500)}\n--- join stderr ---\n${joined.stderr.slice(-2500)}\n--- miniupnpd ---\n${daemons[0]!.log().slice(-1500)}`
      const joinerReport = existsSync(joinReport) ? JSON.parse(readFileSync(joinReport, 'utf8')) : null
      return { report, joinerReport, hostCode, joinCode: joined.code, context }
    }

    it('`peerlens host` behind a carrier-grade NAT: the host\'s side of the report names it, with the hops', async () => {
      const cg = await addCarrierNatHost(lab, 'cgn-session')
      // A joiner behind a plain home NAT (no miniupnpd settling on its router).
      const peer = await lab.addHost('port-restricted', 'cgn-peer')
      try {
        const { report, joinerReport, context } = await runPair([], 'cgn', cg.ns, peer.ns)
        expect(joinerReport, context).not.toBeNull()
        const own = report.sides[0].nat
        expect(own.doubleNat, `${JSON.stringify(own.doubleNat)}\n${context}`).toMatchObject({ detected: true, carrierGrade: true })
        expect(own.doubleNat.reason).toContain(`double NAT (carrier-grade NAT at hop 2, ${cg.carrierInside})`)
        expect(own.doubleNat.hops[1]).toEqual({ hop: 2, address: cg.carrierInside })
        // The joiner (one NAT, no carrier) is judged too; the half the host sent may or may not carry it yet.
        expect(joinerReport.sides[1].nat.doubleNat?.detected, JSON.stringify(joinerReport.sides[1].nat.doubleNat)).not.toBe(true)
      } finally {
        await cg.remove()
      }
    }, 150_000)

    it('without --port-mapping: relayed', async () => {
      const { report, context } = await runPair([], 'plain')
      expect(report.connection.verdict, context).toBe('relayed')
      expect(report.sides[0].nat.portMapping).toBeUndefined()
    }, 150_000)

    it('with --port-mapping: direct through the mapping, and the mappings are gone afterwards', async () => {
      const { report, joinerReport, hostCode, joinCode, context } = await runPair(['--port-mapping'], 'mapped')
      expect(hostCode, context).toBe(0)
      expect(joinCode, context).toBe(0)
      expect(report.connection.verdict, context).toBe('direct')
      // Each side's own report says the mapping was deleted at the end (the half sent to the peer left before).
      for (const own of [report.sides[0], joinerReport.sides[1]]) {
        const s = own.nat.portMapping.session
        expect(s, JSON.stringify(own.nat.portMapping)).toMatchObject({ protocol: 'nat-pmp', removed: true })
        expect(s.reason).toMatch(/^mapped by NAT-PMP: 203\.0\.113\.\d+:\d+ -> 10\.\d+\.0\.2:\d+, offered as a candidate; deleted at the end$/)
      }
      expect(report.sides.some((side: { nat: { portMapping: { session: { used: boolean } } } }) => side.nat.portMapping.session.used), `${JSON.stringify(report.sides.map((x: { nat: { portMapping: unknown } }) => x.nat.portMapping))}\n${context}`).toBe(true)
      // The verdict's reason says the mapping made the path direct (issue 13).
      expect(report.connection.reason, context).toMatch(/; thanks to a NAT-PMP mapping on the (host|joiner)'s side( and a NAT-PMP mapping on the joiner's side)? \(without (it|them): /)
      // The offered candidate is in the other side's remote candidates.
      const mappedA = report.sides[0].nat.portMapping.session.external
      expect(report.sides[1].candidates.remote.some((c: { address: string; port: number }) => c.address === mappedA.address && c.port === mappedA.port), context).toBe(true)
      for (const h of [a, b]) {
        const rules = await lab.exec(h.routerNs!, 'nft', ['list', 'chain', 'inet', 'filter', 'prerouting_miniupnpd'])
        expect(rules.stdout).not.toMatch(/dnat/)
      }
    }, 150_000)
  })
})
