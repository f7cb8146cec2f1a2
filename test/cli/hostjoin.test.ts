import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, existsSync } from 'node:fs'
import { hostname, networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../helpers/cli'
import { StunResponder } from '../../src/core/stun/responder'
import { tempDir } from '../helpers/tempDir'

const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})
const dir = tempDir('cli')

function start(args: string[], options?: Parameters<typeof startCli>[1]): Running {
  const r = startCli(args, options)
  running.push(r)
  return r
}

function checkReport(file: string, writer: 'host' | 'join') {
  const report = JSON.parse(readFileSync(file, 'utf8'))
  expect(report.schema).toBe('peerlens.report/v1')
  expect(report.writtenBy).toBe(writer)
  expect(report.connection.verdict).toBe('direct')
  for (const end of ['local', 'remote']) {
    const c = report.connection.selectedPair[end]
    expect(['host', 'srflx', 'prflx', 'relay']).toContain(c.type)
    expect(typeof c.address).toBe('string')
    expect(c.port).toBeGreaterThan(0)
    expect(c.protocol).toBe('udp')
  }
  expect(report.connection.rttMs).toBeGreaterThanOrEqual(0)
  expect(report.sides.map((s: { role: string }) => s.role)).toEqual(['host', 'join'])
  for (const side of report.sides) {
    expect(side.missing).toBeFalsy()
    expect(side.candidates.local.length).toBeGreaterThan(0)
  }
  return report
}

describe('peerlens host and join as two processes on loopback', () => {
  it('connects through the embedded server and both write a report with both sides', async () => {
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--report', join(dir, 'host.json'), '--timeout', '30'])
    const line = await host.waitFor(/^invite: /)
    const invite = line.slice('invite: '.length)
    expect(invite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]+#.+$/)
    expect(invite).not.toMatch(/:0\//)
    const joiner = await runCli(['join', '--offline', invite, '--report', join(dir, 'join.json'), '--timeout', '30'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(joiner.stdout).toMatch(/^result: direct/m)
    expect(await host.exit, host.stderr()).toBe(0)
    const h = checkReport(join(dir, 'host.json'), 'host')
    const j = checkReport(join(dir, 'join.json'), 'join')
    // Each side saw the other's candidates: what one gathered, the other received.
    const hostSide = h.sides[0]
    const joinSide = j.sides[1]
    // Both machines are named after their OS hostname unless --name says otherwise.
    expect([h.sides[0].name, h.sides[1].name]).toEqual([hostname(), hostname()])
    expect(joinSide.candidates.remote.map((c: { port: number }) => c.port)).toEqual(expect.arrayContaining(hostSide.candidates.local.map((c: { port: number }) => c.port)))
  })

  it('speaks JSON Lines with --json, ending in a result line', async () => {
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--json', '--timeout', '30'])
    const inviteLine = JSON.parse(await host.waitFor(/"event":"invite"/))
    const joiner = await runCli(['join', '--offline', inviteLine.url, '--json', '--timeout', '30'])
    expect(joiner.code, joiner.stderr).toBe(0)
    const lines = joiner.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.every((l) => typeof l.event === 'string')).toBe(true)
    expect(lines.some((l) => l.event === 'local-candidate')).toBe(true)
    const last = lines[lines.length - 1]
    expect(last.event).toBe('result')
    expect(last.verdict).toBe('direct')
    expect(await host.exit).toBe(0)
    const hostLines = host.stdout().trim().split('\n').map((l) => JSON.parse(l))
    expect(hostLines[0].event).toBe('invite')
    expect(hostLines[hostLines.length - 1].event).toBe('result')
  })

  it('meets through a standalone peerlens signal server', async () => {
    const signal = start(['signal', '--listen', '127.0.0.1:0', '--quiet'])
    const base = (await signal.waitFor(/^listening: /)).slice('listening: '.length)
    const host = start(['host', '--offline', '--signal', base, '--timeout', '30'])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    expect(invite.startsWith(base)).toBe(true)
    const joiner = await runCli(['join', '--offline', invite, '--timeout', '30'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(await host.exit).toBe(0)
  })

  it('connects with no server at all by pasting blobs (manual mode)', async () => {
    const host = start(['host', '--offline', '--manual', '--timeout', '30'])
    const offer = (await host.waitFor(/^offer: PL1:/)).slice('offer: '.length)
    const joiner = start(['join', '--offline', offer, '--timeout', '30'])
    const answer = (await joiner.waitFor(/^answer: PL1:/)).slice('answer: '.length)
    host.child.stdin!.end(answer + '\n')
    expect(await joiner.exit, joiner.stderr()).toBe(0)
    expect(await host.exit, host.stderr()).toBe(0)
    expect(host.stdout()).toMatch(/^result: direct/m)
  })
})

describe('IPv6 NAT behaviour', () => {
  it('is measured beside IPv4 when an IPv6 STUN server is listed, and lands in sides[].nat6', async (ctx) => {
    const v4 = new StunResponder()
    const v6 = new StunResponder()
    const port4 = await v4.listen(0, '127.0.0.1')
    let port6: number
    try {
      port6 = await v6.listen(0, '::1')
    } catch {
      await v4.close()
      return ctx.skip('no IPv6 loopback on this machine')
    }
    try {
      const stun = ['--stun', `stun:127.0.0.1:${port4}`, '--stun', `stun:[::1]:${port6}`]
      const host = start(['host', '--listen', '127.0.0.1:0', '--timeout', '30', '--throughput-mb', '0', '--report', join(dir, 'nat6.json'), ...stun])
      const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
      const joiner = await runCli(['join', invite, '--timeout', '30', '--throughput-mb', '0', ...stun])
      expect(joiner.code, joiner.stderr).toBe(0)
      expect(await host.exit).toBe(0)
      const report = JSON.parse(readFileSync(join(dir, 'nat6.json'), 'utf8'))
      for (const side of report.sides) {
        expect(side.nat.family).toBe(4)
        expect(side.nat6.family).toBe(6)
        expect(side.nat6.mapped?.address).toBe('::1')
      }
    } finally {
      await Promise.all([v4.close(), v6.close()])
    }
  })
})

describe('leaving interfaces out', () => {
  const external = Object.entries(networkInterfaces()).filter(([, list]) => list?.some((a) => !a.internal))
  it.skipIf(external.length === 0)('offers and pairs no candidate on an excluded interface, and still connects over loopback', async () => {
    const exclude = external.flatMap(([name]) => ['--exclude-interface', name])
    const excluded = new Set(external.flatMap(([, list]) => (list ?? []).map((a) => a.address)))
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--no-nat', '--timeout', '30', '--report', join(dir, 'excl.json'), ...exclude])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    const joiner = await runCli(['join', '--offline', invite, '--no-nat', '--timeout', '30', ...exclude])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(await host.exit).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'excl.json'), 'utf8'))
    for (const side of report.sides) {
      const bases = side.candidates.local.map((c: { type: string; address: string; relatedAddress?: { address: string } }) => (c.type === 'host' ? c.address : c.relatedAddress?.address))
      expect(bases.filter((b: string) => excluded.has(b))).toEqual([])
      expect(side.pairs.every((p: { local: { address: string } }) => !excluded.has(p.local.address))).toBe(true)
    }
    expect(report.connection.selectedPair.local.address).toBe('127.0.0.1')
  })
})

describe('bad input gets a one-line reason and the right exit code', () => {
  it('exit 2 for usage errors', async () => {
    for (const args of [['frobnicate'], ['join'], ['host', '--bogus'], ['host', '--listen', 'nope'], ['join', 'http://x/join/'], ['join', 'not a url'], ['join', 'PL1:garbage'], ['host', '--turn', 'turn:1.2.3.4:3478'], ['host', '--stun', 'http://x'], ['host', '--timeout', '-1'], ['host', '--listen', '127.0.0.1:0', '--manual']]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\s+at /)
    }
  })

  it('exit 2 for a wrong secret or unknown room, 3 when the server does not answer', async () => {
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30'])
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    const wrong = await runCli(['join', '--offline', invite.replace(/#.*$/, '#wrongsecret')])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/wrong room secret/)
    const unknown = await runCli(['join', '--offline', invite.replace(/\/join\/[^#]+/, '/join/nosuchroom')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown room/)
    host.kill()
    await host.exit
    const gone = await runCli(['join', '--offline', invite])
    expect(gone.code).toBe(3)
    expect(gone.stderr).toMatch(/unreachable/)
  })

  it('exit 3 with the reason when no connection happens in time', async () => {
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '2', '--report', join(dir, 'timeout.json')])
    expect(await host.exit).toBe(3)
    expect(host.stdout()).toMatch(/^result: failed: no answer from the other side/m)
    expect(existsSync(join(dir, 'timeout.json'))).toBe(true)
    const report = JSON.parse(readFileSync(join(dir, 'timeout.json'), 'utf8'))
    expect(report.connection.verdict).toBe('failed')
    expect(report.sides[1]).toMatchObject({ role: 'join', missing: true })
  })

  it('keeps the TURN password out of the output and the report', async () => {
    const secret = 'hunter2-very-secret'
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '2', '--turn', 'turn:127.0.0.1:9', '--turn-user', 'u', '--json', '--report', join(dir, 'secret.json')], {
      env: { PEERLENS_TURN_PASS: secret }
    })
    await host.exit
    expect(host.stdout() + host.stderr()).not.toContain(secret)
    expect(readFileSync(join(dir, 'secret.json'), 'utf8')).not.toContain(secret)
  })
})
