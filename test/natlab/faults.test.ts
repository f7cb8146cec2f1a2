// Peer faults in the NAT lab: the joiner killed (-9) in the middle of the connectivity checks, and
// the joiner's uplink (its router's WAN link) set down for 4 s while the session measures, then up.
// Either way the host ends on its own, says what happened with timestamps, and writes its report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { createLab, labUnavailable, type Lab, type LabHost } from './lab'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const unavailable = await labUnavailable()
const SIGNAL = 'http://203.0.113.2:8080/'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Peer {
  child: ChildProcess
  /** stderr lines, each prefixed with ms since the test started. */
  log: () => string
  stdout: () => string
  exit: Promise<number | null>
}

describe.skipIf(!!unavailable)(`peer faults in the NAT lab${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let hostSide: LabHost
  let joinSide: LabHost
  const dir = tempDir('faults')

  beforeAll(async () => {
    lab = await createLab({ hosts: [{ kind: 'port-restricted', name: 'fault-h' }, { kind: 'port-restricted', name: 'fault-j' }] })
    hostSide = lab.host('fault-h')
    joinSide = lab.host('fault-j')
    lab.spawn(lab.internetNs, process.execPath, [BIN, 'signal', '--listen', '203.0.113.2:8080', '--quiet'])
    const deadline = Date.now() + 10_000
    for (;;) {
      const r = await lab.exec(lab.internetNs, process.execPath, ['-e', `fetch('${SIGNAL}v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`])
      if (r.code === 0) break
      if (Date.now() > deadline) throw new Error('peerlens signal did not start in the lab')
      await sleep(100)
    }
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  function start(ns: string, args: string[], t0: number): Peer {
    const child = lab.spawn(ns, process.execPath, [BIN, ...args, '--stun', lab.stun.url])
    let log = ''
    let out = ''
    child.stderr!.on('data', (d) => {
      for (const l of String(d).split('\n')) if (l) log += `${Date.now() - t0} ${l}\n`
    })
    child.stdout!.on('data', (d) => (out += d))
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    return { child, log: () => log, stdout: () => out, exit }
  }

  async function until(what: () => boolean, ms: number, label: string): Promise<void> {
    const deadline = Date.now() + ms
    while (!what()) {
      if (Date.now() > deadline) throw new Error(`no ${label} within ${ms} ms`)
      await sleep(5)
    }
  }

  async function session(tag: string, fault: (host: Peer, joiner: Peer) => Promise<void>) {
    const t0 = Date.now()
    const file = join(dir, `${tag}.json`)
    const host = start(hostSide.ns, ['host', '--signal', SIGNAL, '--timeout', '10', '--report', file], t0)
    await until(() => /^invite: /m.test(host.stdout()), 15_000, 'invite')
    const invite = /^invite: (\S+)/m.exec(host.stdout())![1]!
    const joiner = start(joinSide.ns, ['join', invite, '--timeout', '10'], t0)
    await fault(host, joiner)
    // Bounded: the host's own timeout is 10 s; it must be done well within 25.
    const hostCode = await Promise.race([host.exit, sleep(25_000).then(() => 'hung' as const)])
    const joinCode = await Promise.race([joiner.exit, sleep(5_000).then(() => 'hung' as const)])
    return { hostCode, joinCode, host, joiner, file, ms: Date.now() - t0 }
  }

  it('the joiner killed mid-check: the host fails in time with exit 3, and writes the report', async () => {
    // 300 ms each way on the joiner's uplink, so the checks are still running when it dies.
    await lab.exec(joinSide.routerNs!, 'tc', ['qdisc', 'add', 'dev', 'wan0', 'root', 'netem', 'delay', '300ms'])
    try {
      const r = await session('killed', async (host, joiner) => {
        await until(() => /ICE checking/.test(host.log()), 15_000, 'ICE checking on the host')
        joiner.child.kill('SIGKILL')
      })
      const context = `--- host ---\n${r.host.log()}`
      expect(r.hostCode, context).toBe(3)
      expect(r.joinCode).toBeNull() // killed by the signal
      expect(r.host.stdout()).toMatch(/^result: failed: /m)
      expect(existsSync(r.file), context).toBe(true)
      const report = JSON.parse(readFileSync(r.file, 'utf8'))
      expect(report.connection.verdict).toBe('failed')
      expect(report.connection.reason).toMatch(/no path connected|no answer|other side/)
      expect(report.sides[1].missing).toBe(true)
      // What happened, with timestamps: the checks started, then the pairs failed.
      const kinds = report.timeline.map((e: { event: { kind: string } }) => e.event.kind)
      expect(kinds).toContain('ice-state')
      for (const e of report.timeline) expect(Date.parse(e.at)).toBeGreaterThan(0)
      console.log(`joiner killed mid-check: host exit ${r.hostCode} after ${r.ms} ms: ${report.connection.reason}`)
    } finally {
      await lab.exec(joinSide.routerNs!, 'tc', ['qdisc', 'del', 'dev', 'wan0', 'root'])
    }
  })

  it('the network drops for 4 s and comes back: the session ends on its own with the loss in the report', async () => {
    let down = 0
    let up = 0
    const r = await session('link-down', async (host) => {
      await until(() => /measuring/.test(host.log()), 15_000, 'measuring on the host')
      await lab.exec(joinSide.routerNs!, 'ip', ['link', 'set', 'wan0', 'down'])
      down = Date.now()
      await sleep(4000)
      await lab.exec(joinSide.routerNs!, 'ip', ['link', 'set', 'wan0', 'up'])
      up = Date.now()
    })
    const context = `--- host ---\n${r.host.log()}\n--- join ---\n${r.joiner.log()}`
    expect(r.hostCode, context).not.toBe('hung')
    expect(r.joinCode, context).not.toBe('hung')
    expect(existsSync(r.file), context).toBe(true)
    const report = JSON.parse(readFileSync(r.file, 'utf8'))
    // Connected before the drop: exit 0 and a verdict; the drop shows as lost probes, with times.
    expect(r.hostCode, context).toBe(0)
    expect(report.connection.verdict, context).toBe('direct')
    const direct = report.paths.direct
    expect(direct.lossPercent, context).toBeGreaterThan(0)
    expect(direct.rttSamplesMs).toContain(null)
    const metrics = report.timeline.filter((e: { event: { kind: string } }) => e.event.kind === 'path-metrics')
    expect(metrics.length).toBeGreaterThan(0)
    // The timeline says when the other side stopped answering, in words.
    const gaps = report.timeline.filter((e: { event: { kind: string; message?: string } }) => e.event.kind === 'warning' && /stopped answering at \d+ ms/.test(e.event.message ?? ''))
    expect(gaps.length, context).toBeGreaterThan(0)
    for (const e of report.timeline) expect(Date.parse(e.at)).toBeGreaterThan(0)
    console.log(`link down ${up - down} ms: host exit ${r.hostCode}, join exit ${r.joinCode}, after ${r.ms} ms; loss ${direct.lossPercent}%, samples ${JSON.stringify(direct.rttSamplesMs)}`)
  })
})
