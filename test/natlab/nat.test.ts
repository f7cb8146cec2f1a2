// `peerlens nat --json`, as a whole process, in a host behind each kind of real Linux NAT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, EXPECTED, hasNft, labUnavailable, NAT_KINDS, type Lab, type NatKind } from './lab'
import { natCommandLine, REPO } from './natCli'

const unavailable = await labUnavailable()
const nft = unavailable ? false : await hasNft()
const kinds = NAT_KINDS.filter((k) => k !== 'address-restricted' || nft)
if (unavailable) console.warn(`NAT lab skipped: ${unavailable}`)
else if (!nft) console.warn('NAT lab: address-restricted kind skipped: nft (nftables) is not installed')

describe.skipIf(!!unavailable)(`NAT lab${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  const cli = natCommandLine()

  // Kinds whose recipe needs a kernel feature a machine may lack (nftables dynamic sets, xt_recent)
  // are skipped with the reason instead of failing the whole lab.
  const optional: NatKind[] = ['address-restricted', 'address-restricted-host']
  const unbuilt = new Map<NatKind, string>()

  beforeAll(async () => {
    lab = await createLab({ ipv6: true })
    for (const kind of kinds) {
      try {
        await lab.addHost(kind)
      } catch (err) {
        if (!optional.includes(kind)) throw err
        unbuilt.set(kind, (err as Error).message.split('\n')[0]!)
        console.warn(`NAT lab: ${kind} skipped: ${unbuilt.get(kind)}`)
      }
    }
  }, 120_000)
  afterAll(async () => {
    await lab?.teardown()
  }, 60_000)

  async function nat(kind: NatKind, args: string[]) {
    const host = lab.hosts.find((h) => h.kind === kind)!
    const r = await lab.exec(host.ns, cli.cmd, [...cli.args, ...args, '--json'], { cwd: REPO, timeoutMs: 30_000 })
    let json: Record<string, unknown> | undefined
    try {
      json = JSON.parse(r.stdout)
    } catch {
      throw new Error(`peerlens nat in ${kind} (via ${cli.via}) printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}\n${await lab.turnLog().then((l) => l.slice(-2000))}`)
    }
    return { ...r, json: json!, host }
  }

  describe('IPv4', () => {
    it.for(kinds)('%s', async (kind, ctx) => {
      if (unbuilt.has(kind)) return ctx.skip(unbuilt.get(kind))
      const { json, code, ms, host } = await nat(kind, ['--stun', lab.stun.url])
      const expected = EXPECTED[kind]
      expect({ mapping: json.mapping, filtering: json.filtering, classic: json.classic }, String(json.reason)).toEqual(expected)
      expect(code).toBe(0)
      expect(json.server).toEqual(lab.stun.primary)
      if (kind !== 'udp-blocked') {
        expect(json.otherAddress).toEqual(lab.stun.other)
        expect((json.mapped as { address: string }).address).toBe(host.publicAddress)
        expect((json.local as { address: string }).address).toBe(host.address)
        // Linux keeps the source port unless told to randomise it.
        expect(json.portPreserved).toBe(kind !== 'symmetric')
      } else {
        expect(json.serverReach).toBe('tcp-only')
      }
      // The discovery itself (the process adds its start-up): generous bound for a loaded CI machine.
      expect(json.durationMs as number).toBeLessThan(1500)
      console.info(`nat lab ${kind}: ${json.classic} in ${json.durationMs} ms (whole process ${Math.round(ms)} ms via ${cli.via})`)
    })

    it('agrees with coturn turnutils_natdiscovery on the port-restricted NAT', async () => {
      const host = lab.hosts.find((h) => h.kind === 'port-restricted')!
      const r = await lab.exec(host.ns, 'turnutils_natdiscovery', ['-m', '-f', lab.stun.primary.address], { timeoutMs: 30_000 })
      expect(r.stdout).toMatch(/Endpoint Independent Mapping/)
      expect(r.stdout).toMatch(/Address and Port Dependent Filtering/)
    })
  })

  describe('IPv6', () => {
    it.for(kinds)('%s', async (kind, ctx) => {
      if (unbuilt.has(kind)) return ctx.skip(unbuilt.get(kind))
      const { json, code, host } = await nat(kind, ['--stun', lab.stun.url6!, '--family', '6'])
      expect({ mapping: json.mapping, filtering: json.filtering, classic: json.classic }, String(json.reason)).toEqual(EXPECTED[kind])
      expect(code).toBe(0)
      expect(json.family).toBe(6)
      if (kind !== 'udp-blocked') expect((json.mapped as { address: string }).address).toBe(host.publicAddress6)
    })
  })

  it('measures the mapping lifetime of a NAT that forgets idle mappings after 3 s', async () => {
    const host = lab.hosts.find((h) => h.kind === 'port-restricted')!
    await lab.setUdpTimeout(host, 3)
    try {
      const { json, code } = await nat('port-restricted', ['--stun', lab.stun.url, '--lifetime', '--lifetime-max', '8'])
      expect(code).toBe(0)
      const lifetime = json.lifetime as { aliveS: number | null; expiredS: number | null; reason: string }
      expect(lifetime.aliveS, lifetime.reason).toBeGreaterThanOrEqual(2)
      expect(lifetime.expiredS, lifetime.reason).not.toBeNull()
      expect(lifetime.expiredS!).toBeLessThanOrEqual(5)
      expect(lifetime.reason).toMatch(/between/)
    } finally {
      await lab.setUdpTimeout(host, 30)
    }
  })

  it('exit 3 and a clear reason when the server is down', async () => {
    const { json, code } = await nat('port-restricted', ['--stun', 'stun:203.0.113.200:3478', '--timeout', '500'])
    expect(code).toBe(3)
    expect(json.classic).toBe('unknown')
    expect(String(json.reason)).toMatch(/no answer/)
  })
})
