// The path measurement of a real session (two peerlens processes on loopback): with a peer that
// speaks udp-probes, the path throughput comes from paced UDP on the selected pair and the UDP rate
// search is in the report; turned off, both say so.
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../../helpers/cli'
import { tempDir } from '../../helpers/tempDir'
import type { PathMeasurement } from '../../../src/shared/report'

const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})
const dir = tempDir('pathmeter-rate')

async function session(tag: string, hostArgs: string[]): Promise<{ paths: { direct: PathMeasurement } }> {
  const file = join(dir, `${tag}.json`)
  const host = startCli(['host', '--offline', '--no-nat', '--listen', '127.0.0.1:0', '--timeout', '30', '--report', file, ...hostArgs])
  running.push(host)
  const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
  const joiner = await runCli(['join', invite, '--offline', '--no-nat', '--timeout', '30'])
  expect(joiner.code, joiner.stderr).toBe(0)
  expect(await host.exit, host.stderr()).toBe(0)
  return JSON.parse(readFileSync(file, 'utf8')) as { paths: { direct: PathMeasurement } }
}

describe('path measurement between two peerlens processes', () => {
  it('throughput from paced UDP on the selected pair, the UDP rate each way, within the byte budget', { timeout: 60_000 }, async () => {
    const r = await session('udp', ['--throughput-mb', '2'])
    const d = r.paths.direct
    const t = d.throughput!
    const udp = d.udp!
    expect(t.method).toMatch(/^paced UDP on the selected pair/)
    expect(t.hostToJoinBps).toBeGreaterThan(0)
    expect(t.joinToHostBps).toBeGreaterThan(0)
    expect(t.bytes).toBe(2 * 1024 * 1024)
    for (const way of [udp.hostToJoin, udp.joinToHost]) {
      expect(way!.steps.length).toBeGreaterThan(0)
      // Never more than the user allowed each way: --throughput-mb.
      expect(way!.steps.reduce((n, s) => n + s.sent * udp.packetBytes!, 0)).toBeLessThanOrEqual(2 * 1024 * 1024)
    }
    expect(udp.method).toMatch(/under 1 %/)
  })

  it('--throughput-mb off: throughput and the UDP rate say they were off', { timeout: 60_000 }, async () => {
    const r = await session('off', ['--throughput-mb', 'off'])
    const d = r.paths.direct
    expect(d.throughput).toMatchObject({ hostToJoinBps: null, joinToHostBps: null, bytes: 0, off: expect.stringContaining('turned off') })
    expect(d.udp).toMatchObject({ hostToJoin: null, joinToHost: null, off: expect.stringContaining('turned off') })
  })
})
