// `--offline` contacts no third party, checked where a packet cannot hide: host and join run inside a
// fresh network namespace whose only way out is a veth interface holding the default route, its peer in the same namespace.
// Every packet for anything but this machine (an ARP for the gateway, a DNS query, a STUN request to a
// public server) is sent on that interface and counted in its tx statistics; nothing leaves the real
// machine. A control run without --offline (a host whose public list is an unroutable IP) shows the
// counter does see such packets.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const NS = `pl-offline-${process.pid}`

function namespaceProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for a network namespace'
  try {
    execFileSync('ip', ['netns', 'add', `${NS}-probe`], { stdio: 'ignore' })
    execFileSync('ip', ['netns', 'del', `${NS}-probe`], { stdio: 'ignore' })
    return undefined
  } catch {
    return 'cannot create a network namespace here'
  }
}
const unavailable = namespaceProblem()

const ns = (...args: string[]) => execFileSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8' })
/** Packets sent on the way out (out0), IPv4 and IPv6 alike. */
const sentOut = (): number => Number(ns('cat', '/sys/class/net/out0/statistics/tx_packets').trim())

describe.skipIf(!!unavailable)(`--offline sends nothing beyond this machine${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const dir = tempDir('offline')
  // No PEERLENS_PUBLIC_STUN: the real public list is what a forgotten --offline would contact.
  const env = { PEERLENS_PUBLIC_STUN: '' }

  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS])
    ns('ip', 'link', 'set', 'lo', 'up')
    // A veth pair inside the namespace: out0 holds the default route, sink0 swallows what it sends.
    ns('ip', 'link', 'add', 'out0', 'type', 'veth', 'peer', 'name', 'sink0')
    // No IPv6 on the way out: the kernel's own router solicitations would count as packets.
    for (const i of ['out0', 'sink0']) ns('sysctl', '-qw', `net.ipv6.conf.${i}.disable_ipv6=1`)
    ns('ip', 'addr', 'add', '192.0.2.10/24', 'dev', 'out0')
    ns('ip', 'link', 'set', 'sink0', 'up')
    ns('ip', 'link', 'set', 'out0', 'up')
    ns('ip', 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'out0')
  })
  afterAll(() => {
    execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' })
  })

  it('host and join --offline connect over loopback and send no packet out; the report says no third party was contacted', { timeout: 60_000 }, async () => {
    const before = sentOut()
    const hostFile = join(dir, 'host.json')
    const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30', '--throughput-mb', '0', '--report', hostFile], { netns: NS, env })
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    const joiner = await runCli(['join', invite, '--offline', '--timeout', '30', '--throughput-mb', '0'], { netns: NS, env })
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(await host.exit, host.stderr()).toBe(0)
    const report = JSON.parse(readFileSync(hostFile, 'utf8'))
    expect(report.connection.verdict).toBe('direct')
    for (const side of report.sides) expect(side.network.stun).toMatchObject({ source: 'offline', contacted: [] })
    expect(sentOut() - before).toBe(0)
  })

  it('control: a host without --offline contacts the public list, and the counter sees it', { timeout: 30_000 }, async () => {
    const before = sentOut()
    // An IP literal stands in for the list: no DNS wait, the same kind of packet.
    const host = startCli(['host', '--listen', '127.0.0.1:0', '--timeout', '5'], { netns: NS, env: { PEERLENS_PUBLIC_STUN: 'stun:198.51.100.1:3478' } })
    await host.waitFor(/^invite: /)
    await new Promise((r) => setTimeout(r, 1_000))
    host.kill()
    await host.exit
    expect(sentOut() - before).toBeGreaterThan(0)
  })
})
