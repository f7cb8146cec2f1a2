// The mesh case (issue 12): two peers behind NATs that also share a Netbird-like tunnel (wt0,
// 100.64.0.0/10), signaling over the tunnel, as the README suggests. By default the session leaves
// the tunnel out of ICE and describes the underlay; with --include-vpn it may pair on the tunnel and
// then says "tunneled", never "direct". And a default session (no server given; the lab's coturn
// stands in for the public list through PEERLENS_PUBLIC_STUN) knows both NAT types and predicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLab, labUnavailable, type Lab, type LabHost } from './lab'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const unavailable = await labUnavailable()

describe.skipIf(!!unavailable)(`a mesh tunnel between two NATed peers${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let a: LabHost
  let b: LabHost
  let tunnel: { a: string; b: string }
  const dir = tempDir('mesh')

  beforeAll(async () => {
    lab = await createLab()
    a = await lab.addHost('port-restricted', 'mesh-a')
    b = await lab.addHost('port-restricted', 'mesh-b')
    tunnel = await lab.addTunnel(a, b)
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  /** `peerlens host` on a's tunnel address (signaling over wt0), `peerlens join` from b; both reports. */
  async function runPair(tag: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    const hostFile = join(dir, `${tag}-host.json`)
    const joinFile = join(dir, `${tag}-join.json`)
    const host = lab.spawn(a.ns, process.execPath, [BIN, 'host', '--listen', `${tunnel.a}:8080`, '--timeout', '40', '--throughput-mb', '0', '--report', hostFile, ...args], {
      env: { ...process.env, ...env }
    })
    let out = ''
    let err = ''
    host.stdout!.on('data', (d) => (out += d))
    host.stderr!.on('data', (d) => (err += d))
    const hostExit = new Promise<number | null>((r) => host.on('exit', (code) => r(code)))
    const deadline = Date.now() + 15_000
    while (!/^invite: /m.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const invite = /^invite: (\S+)/m.exec(out)?.[1]
    expect(invite, err).toBeTruthy()
    expect(invite).toContain(`http://${tunnel.a}:8080/`)
    const joined = await lab.exec(b.ns, process.execPath, [BIN, 'join', invite!, '--timeout', '40', '--throughput-mb', '0', '--report', joinFile, ...args], {
      timeoutMs: 70_000,
      env: { ...process.env, ...env }
    })
    const hostCode = await hostExit
    const report = JSON.parse(readFileSync(hostFile, 'utf8'))
    const joinReport = JSON.parse(readFileSync(joinFile, 'utf8'))
    const context = `${report.connection.reason}\n--- host stderr ---\n${err.slice(-3000)}\n--- join stderr ---\n${joined.stderr.slice(-3000)}`
    return { report, joinReport, hostCode, joined, context }
  }

  const tunnelAddress = (address: string) => address.startsWith('100.64.')

  it('by default tests the underlay: wt0 is left out of ICE, the verdict is direct through the NATs, signaling went over wt0', { timeout: 90_000 }, async () => {
    const { report, joinReport, hostCode, joined, context } = await runPair('default', ['--stun', lab.stun.url])
    expect(hostCode, context).toBe(0)
    expect(joined.code, context).toBe(0)
    expect(report.connection.verdict, context).toBe('direct')
    const pair = report.connection.selectedPair
    expect(tunnelAddress(pair.local.address) || tunnelAddress(pair.remote.address), context).toBe(false)
    // No side offered a tunnel candidate.
    for (const side of report.sides) {
      expect(side.candidates.local.some((c: { address: string }) => tunnelAddress(c.address))).toBe(false)
      expect(side.network).toMatchObject({ includeVpn: false, excludedInterfaces: ['wt0'] })
    }
    // The joiner reached the signaling server through the tunnel, and the report says so.
    expect(joinReport.sides.find((s: { role: string }) => s.role === 'join').network.signaling).toEqual({ server: tunnel.a, interface: 'wt0', vpnLike: true })
    expect(joined.stdout).toMatch(/^result: direct: /m)
  })

  it('with --include-vpn the pair on the tunnel is called tunneled, on the CLI result line too, never direct', { timeout: 90_000 }, async () => {
    const { report, hostCode, joined, context } = await runPair('include', ['--stun', lab.stun.url, '--include-vpn'])
    expect(hostCode, context).toBe(0)
    expect(joined.code, context).toBe(0)
    expect(report.connection.verdict, context).toBe('tunneled')
    expect(report.connection.reason).toMatch(/^through the VPN tunnel wt0, not a direct internet path/)
    expect(report.sides[0].network).toMatchObject({ includeVpn: true, excludedInterfaces: [] })
    expect(report.connection.attempts.find((x: { used: boolean }) => x.used).verdict).toBe('tunneled')
    expect(joined.stdout).toMatch(/^result: tunneled: .*\(through the VPN tunnel wt0, not a direct internet path\)/m)
  })

  it('a default session (no server given) uses the "public" list: both NAT types and a prediction', { timeout: 90_000 }, async () => {
    const { report, hostCode, joined, context } = await runPair('public', [], { PEERLENS_PUBLIC_STUN: lab.stun.url })
    expect(hostCode, context).toBe(0)
    expect(joined.code, context).toBe(0)
    for (const side of report.sides) {
      expect(side.network.stun, context).toMatchObject({ source: 'default', servers: [lab.stun.url], contacted: [lab.stun.url] })
      expect(side.nat, context).toMatchObject({ method: 'rfc5780', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' })
    }
    expect(report.prediction.verdict, context).toBe('direct')
    expect(report.connection.verdict, context).toBe('direct')
  })
})
