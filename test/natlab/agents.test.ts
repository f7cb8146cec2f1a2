// Agents in the NAT lab (issue 18): three agents, two behind NATs (port-restricted) and one public,
// form a group through a `peerlens signal` on the lab's internet; the matrix shows all three pairs
// direct. Then one router turns symmetric (its iptables rules swapped): within one short interval
// the agent hosting that pair prints a flip to relayed with the NAT change as its cause, and a real
// Prometheus server scrapes the new path from the agent's /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLab, labUnavailable, type Lab, type LabHost } from './lab'
import { BIN } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const unavailable = await labUnavailable()
const HAVE_PROMETHEUS = spawnSync('prometheus', ['--version']).status === 0
const SECRET = 'lab-group-secret-0123456789'
const SIGNAL = 'http://203.0.113.2:8080/'
const INTERVAL_S = 15

interface Proc {
  child: ChildProcess
  out: () => string
  err: () => string
  /** The first JSON line matching `test`, waiting up to `ms`. */
  event: (test: (e: Record<string, unknown>) => boolean, ms: number) => Promise<Record<string, unknown>>
}

describe.skipIf(!!unavailable)(`agents in the NAT lab${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: Lab
  let a: LabHost
  let b: LabHost
  let c: LabHost
  const dir = tempDir('agents-lab')
  const procs: Record<string, Proc> = {}

  function start(ns: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
    const child = lab.spawn(ns, process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
    let out = ''
    let err = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
    const events = (): Array<Record<string, unknown>> =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    return {
      child,
      out: () => out,
      err: () => err,
      async event(test, ms) {
        for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
          const found = events().find(test)
          if (found) return found
        }
        throw new Error(`no matching event within ${ms} ms; stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-3000)}`)
      }
    }
  }

  function agent(host: LabHost, extra: string[] = []): Proc {
    return start(
      host.ns,
      ['agent', '--signal', SIGNAL, '--group', 'lab', '--name', host.name, '--stun', lab.stun.url, '--turn', lab.turn.url, '--turn-user', lab.turn.username, '--interval', String(INTERVAL_S), '--timeout', '30', '--json', '--history', join(dir, `${host.name}.jsonl`), ...extra],
      { PEERLENS_GROUP_SECRET: SECRET, PEERLENS_TURN_PASS: lab.turn.credential }
    )
  }

  beforeAll(async () => {
    lab = await createLab()
    a = await lab.addHost('port-restricted', 'a-nat')
    b = await lab.addHost('port-restricted', 'b-nat')
    c = await lab.addHost('none', 'c-pub')
    procs.signal = start(lab.internetNs, ['signal', '--listen', '203.0.113.2:8080', '--quiet', '--rate-limit', '0'])
    for (let i = 0; i < 40 && !/listening: /.test(procs.signal.out()); i++) await new Promise((r) => setTimeout(r, 250))
    procs.a = agent(a, ['--metrics-listen', '127.0.0.1:9464'])
    procs.b = agent(b)
    procs.c = agent(c)
  }, 120_000)
  afterAll(() => lab?.teardown(), 60_000)

  const pairEvent = (peer: string) => (e: Record<string, unknown>) => e.event === 'pair' && e.peer === peer

  it('forms a group of three; the matrix shows all three pairs direct', { timeout: 150_000 }, async () => {
    const ab = await procs.a!.event(pairEvent('b-nat'), 120_000)
    const ac = await procs.a!.event(pairEvent('c-pub'), 120_000)
    const bc = await procs.b!.event(pairEvent('c-pub'), 120_000)
    expect([ab.verdict, ac.verdict, bc.verdict], procs.a!.err() + procs.b!.err()).toEqual(['direct', 'direct', 'direct'])
    expect(ab.nat).toEqual({ self: 'port-restricted-cone', peer: 'port-restricted-cone' })
    expect(ac.nat).toEqual({ self: 'port-restricted-cone', peer: 'open-internet' })
    let pairs: Array<{ a: string; b: string; verdict: string }> = []
    for (let i = 0; i < 20; i++) {
      const m = await lab.exec(lab.internetNs, process.execPath, [BIN, 'matrix', '--signal', SIGNAL, '--group', 'lab', '--json'], { env: { ...process.env, PEERLENS_GROUP_SECRET: SECRET } })
      expect(m.code, m.stderr).toBe(0)
      pairs = (JSON.parse(m.stdout) as { pairs: typeof pairs }).pairs
      if (!pairs.some((p) => p.verdict === 'untested')) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(pairs.map((p) => `${p.a}-${p.b}:${p.verdict}`)).toEqual(['a-nat-b-nat:direct', 'a-nat-c-pub:direct', 'b-nat-c-pub:direct'])
  })

  it('a router turned symmetric is a flip to relayed within one interval, and Prometheus scrapes the new path', { timeout: 200_000 }, async () => {
    // b's router: port-preserving MASQUERADE becomes --random-fully (a new port per destination).
    const r = (...args: string[]) => lab.exec(b.routerNs!, 'iptables', args)
    expect((await r('-t', 'nat', '-F', 'POSTROUTING')).code).toBe(0)
    expect((await r('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE', '--random-fully')).code).toBe(0)
    const changedAt = Date.now()
    const flip = await procs.a!.event((e) => e.event === 'flip' && e.peer === 'b-nat', (INTERVAL_S + 60) * 1000)
    // One interval plus the test itself.
    expect(Date.now() - changedAt).toBeLessThan((INTERVAL_S + 60) * 1000)
    expect(flip.changes).toContain('path')
    expect(flip.before).toMatchObject({ verdict: 'direct' })
    expect(flip.after).toMatchObject({ verdict: 'relayed', nat: { peer: 'symmetric' } })
    expect(flip.cause).toBe('the NAT type of b-nat changed from port-restricted-cone to symmetric')
    expect(procs.a!.out()).not.toContain(SECRET)

    if (!HAVE_PROMETHEUS) return console.warn('prometheus is not installed (apt-get install prometheus): the scrape is skipped')
    const promDir = tempDir('agents-prom')
    writeFileSync(join(promDir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: peerlens-agent\n    static_configs:\n      - targets: ['127.0.0.1:9464']\n`)
    lab.spawn(a.ns, 'prometheus', [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, '--web.listen-address=127.0.0.1:9090'], { stdio: 'ignore' })
    let value: string | undefined
    for (const deadline = Date.now() + 40_000; Date.now() < deadline && value === undefined; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const q = await lab.exec(a.ns, 'curl', ['-s', '--max-time', '2', 'http://127.0.0.1:9090/api/v1/query?query=peerlens_peer_path%7Bpeer%3D%22b-nat%22%2Cpath%3D%22relayed%22%7D'])
      try {
        value = (JSON.parse(q.stdout) as { data?: { result?: Array<{ value: [number, string] }> } }).data?.result?.[0]?.value[1]
      } catch {
        // not up yet
      }
    }
    expect(value).toBe('1')
  })
})
