import { describe, expect, it } from 'vitest'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { collectSystemFacts } from '../../../src/core/sysinfo/index'
import { collectVpn } from '../../../src/core/sysinfo/vpn'
import { findOnPath, runCommand, type CommandRunner } from '../../../src/core/sysinfo/exec'
import { tempDir } from '../../helpers/tempDir'

const linux = process.platform === 'linux'

describe('collectSystemFacts on this machine', () => {
  it.runIf(linux)('lists interfaces with MTU and state, routes toward loopback, and default gateways', async () => {
    const facts = await collectSystemFacts(['127.0.0.1', '::1', '127.0.0.1', 'peer.local'])
    expect(facts.platform).toBe('linux')
    const lo = facts.interfaces.find((i) => i.name === 'lo')
    expect(lo).toMatchObject({ up: true, internal: true, vpnLike: false })
    expect(lo!.mtu).toBeGreaterThan(1000)
    expect(lo!.addresses).toContainEqual({ address: '127.0.0.1', family: 4, prefixLength: 8 })
    // Duplicates are looked up once; a name gets no lookup, with why.
    expect(facts.routes.map((r) => r.destination)).toEqual(['127.0.0.1', '::1', 'peer.local'])
    expect(facts.routes[0]).toMatchObject({ ok: true, interface: 'lo', source: '127.0.0.1', command: 'ip -j route get 127.0.0.1' })
    expect(facts.routes[2]).toMatchObject({ ok: false, error: expect.stringMatching(/not an IP address/) })
    for (const g of facts.defaultGateways) expect(g.address).toMatch(/[.:]/)
    expect(facts.durationMs).toBeLessThan(10_000)
  })
})

describe('failures are recorded, never thrown', () => {
  const broken: CommandRunner = async (command, args) => ({ code: null, stdout: '', stderr: '', error: `${command} ${args.join(' ')}: not installed` })
  const garbage: CommandRunner = async () => ({ code: 0, stdout: 'not json', stderr: '' })

  it.each([
    ['linux', broken],
    ['linux', garbage],
    ['darwin', broken],
    ['win32', broken],
    ['win32', garbage]
  ] as const)('%s with a runner that fails', async (platform, run) => {
    const facts = await collectSystemFacts(['192.0.2.7'], { platform, run, find: async () => null })
    expect(facts.interfaces.length).toBeGreaterThan(0) // Node's own list as the fallback
    expect(facts.routes).toHaveLength(1)
    expect(facts.routes[0]!.ok).toBe(false)
    expect(facts.routes[0]!.error).toBeTruthy()
    expect(facts.errors.length).toBeGreaterThan(0)
    expect(facts.vpn).toEqual([])
  })

  it('a real command that hangs is killed at the timeout', async () => {
    const t0 = Date.now()
    const r = await runCommand(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], 300)
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(r.error).toMatch(/timed out after 300 ms/)
  })

  it('a command that does not exist says so', async () => {
    expect((await runCommand('peerlens-no-such-command', [], 1000)).error).toMatch(/not installed/)
  })
})

describe('VPN clients', () => {
  it('records netbird status --json and wg show when the binaries exist, without keys', async () => {
    const dir = tempDir('vpn')
    writeFileSync(join(dir, 'netbird'), `#!/bin/sh\necho '{"netbirdIp":"100.92.1.2/16","privateKey":"c2VjcmV0","peers":{"total":1}}'\n`)
    writeFileSync(join(dir, 'wg'), `#!/bin/sh\nprintf 'interface: wt0\\n  public key: PUB=\\n  private key: yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\\n  listening port: 51820\\n'\n`)
    chmodSync(join(dir, 'netbird'), 0o755)
    chmodSync(join(dir, 'wg'), 0o755)
    const facts = await collectVpn(runCommand, 3000, (name) => findOnPath(name, dir))
    expect(facts.map((f) => [f.tool, f.ok, f.exitCode])).toEqual([
      ['netbird', true, 0],
      ['wg', true, 0]
    ])
    expect(facts[0]!.output).toEqual({ netbirdIp: '100.92.1.2/16', peers: { total: 1 } })
    expect(facts[1]!.output).toContain('listening port: 51820')
    expect(JSON.stringify(facts)).not.toMatch(/c2VjcmV0|yAnz5TF/)
  })

  it('records a client that fails or hangs', async () => {
    const dir = tempDir('vpn')
    writeFileSync(join(dir, 'netbird'), '#!/bin/sh\nsleep 5\n')
    writeFileSync(join(dir, 'wg'), '#!/bin/sh\necho "Unable to access interface: Operation not permitted" >&2\nexit 1\n')
    chmodSync(join(dir, 'netbird'), 0o755)
    chmodSync(join(dir, 'wg'), 0o755)
    const facts = await collectVpn(runCommand, 300, (name) => findOnPath(name, dir))
    expect(facts[0]).toMatchObject({ tool: 'netbird', ok: false, exitCode: null, error: expect.stringMatching(/timed out after 300 ms/) })
    expect(facts[1]).toMatchObject({ tool: 'wg', ok: false, exitCode: 1, error: expect.stringMatching(/Operation not permitted/) })
  })

  it('leaves out clients that are not installed, without running anything', async () => {
    let ran = 0
    const facts = await collectVpn(async () => (ran++, { code: 0, stdout: '', stderr: '' }), 1000, async () => null)
    expect(facts).toEqual([])
    expect(ran).toBe(0)
  })
})
