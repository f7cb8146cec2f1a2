import { afterEach, describe, expect, it } from 'vitest'
import { createSocket } from 'node:dgram'
import { natCommand } from '../../../src/cli/commands/nat'
import { startFakeServer, type FakeServer } from './fakeServer'

let server: FakeServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await natCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) })
  return { code, stdout, stderr }
}

describe('peerlens nat (natCommand)', () => {
  it.each([
    [['--family', '5', '--stun', '127.0.0.1:1'], /--family must be 4 or 6/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
    [['--stun', 'turn:127.0.0.1:3478'], /plain UDP STUN server/],
    [['--stun', '127.0.0.1:99999'], /bad port/],
    [['--stun2', 'nonsense host'], /bad STUN server/],
    [['--stun', '127.0.0.1:3478', '--family', '6'], /IPv4 address but the test is for IPv6/],
    [['--stun', '127.0.0.1:3478', '--timeout', 'soon'], /--timeout/],
    [['--stun', '127.0.0.1:3478', '--lifetime', '--lifetime-max', '0'], /--lifetime-max/]
  ])('bad usage %j: exit 2 with a one-line reason', async (argv, reason) => {
    const r = await run(argv)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(reason)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
  })

  it('prints usage for --help', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/usage: peerlens nat/)
  })

  it('--json prints the result with every field the report needs', async () => {
    server = await startFakeServer({ drop: 'all-changed' })
    const r = await run(['--stun', server.url, '--json', '--no-port-mapping', '--no-double-nat'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json).toMatchObject({ family: 4, mapping: 'none', filtering: 'address-and-port-dependent', classic: 'symmetric-udp-firewall', server: server.primary, portPreserved: true })
    for (const key of ['reason', 'local', 'mapped', 'hairpin', 'durationMs', 'tests']) expect(json).toHaveProperty(key)
    for (const t of json.tests) expect(Object.keys(t)).toEqual(expect.arrayContaining(['name', 'target', 'result', 'mapped', 'ms']))
    expect(r.stderr).toBe('')
  })

  it('human output shows progress and the verdict (bare HOST:PORT accepted)', async () => {
    server = await startFakeServer()
    const r = await run(['--stun', `${server.primary.address}:${server.primary.port}`, '--no-port-mapping', '--no-double-nat'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/mapping I .* reply from 127\.0\.0\.1/)
    expect(r.stdout).toMatch(/NAT \(IPv4\): no NAT \(open internet\)\n {2}classic type: +open-internet/)
    expect(r.stdout).toMatch(/method: +RFC 5780 tests, \d+ tests/)
    expect(r.stdout).toMatch(/hairpin: +yes/)
  })

  it('exit 3 when no server answered', async () => {
    const s = createSocket('udp4')
    await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()))
    const port = s.address().port
    await new Promise<void>((res) => s.close(() => res()))
    const r = await run(['--stun', `stun:127.0.0.1:${port}`, '--json', '--timeout', '400', '--no-port-mapping', '--no-double-nat'])
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout).classic).toBe('unknown')
    expect(r.stderr).toMatch(/no server answered/)
  })
})
