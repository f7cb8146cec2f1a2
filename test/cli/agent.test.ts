import { afterEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'
import { GroupClient, groupKey } from '../../src/core/signaling/groupClient'

// `peerlens agent` and `peerlens matrix` as real processes on loopback (--offline: the signaling
// server's own STUN responder, nothing leaves the machine): three agents form a group, test every
// pair, and the matrix shows all three pairs.

const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0
const SECRET = 'correct-horse-battery-staple'

const running: Running[] = []
const servers: Server[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
  for (const s of servers.splice(0)) s.close()
})

async function signal(): Promise<{ base: string; run: Running }> {
  const run = startCli(['signal', '--listen', '127.0.0.1:0', '--rate-limit', '0'])
  running.push(run)
  return { base: (await run.waitFor(/^listening: /)).slice('listening: '.length), run }
}

function agent(base: string, name: string, extra: string[] = [], secret = SECRET): Running {
  const dir = tempDir('agent')
  const run = startCli(['agent', '--signal', base, '--group', 'lab', '--name', name, '--offline', '--interval', '600', '--timeout', '20', '--history', join(dir, `${name}.jsonl`), ...extra], {
    env: { PEERLENS_GROUP_SECRET: secret }
  })
  running.push(run)
  return run
}

async function matrix(base: string, extra: string[] = [], secret = SECRET) {
  return runCli(['matrix', '--signal', base, '--group', 'lab', ...extra], { env: { PEERLENS_GROUP_SECRET: secret } })
}

/** A stand-in Loki: records what is pushed. */
async function loki(): Promise<{ url: string; pushes: unknown[] }> {
  const pushes: unknown[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d))
    req.on('end', () => {
      if (req.url === '/loki/api/v1/push') pushes.push(JSON.parse(body))
      res.writeHead(204).end()
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, pushes }
}

describe('peerlens agent', () => {
  it('three agents test every pair; the matrix shows all three; metrics, flips, Loki, history; SIGTERM ends it cleanly', async () => {
    const { base, run: server } = await signal()
    const lk = await loki()
    const dir = tempDir('agent')
    const aliceHistory = join(dir, 'alice.jsonl')
    // Alice remembers bob's path as relayed: the first test (direct) is a flip.
    writeFileSync(
      aliceHistory,
      JSON.stringify({ kind: 'pair', at: '2026-01-01T00:00:00.000Z', self: 'alice', peer: 'bob', role: 'host', verdict: 'relayed', reason: 'old', prediction: null, rttMs: 30, nat: { self: null, peer: null }, publicAddress: { self: null, peer: null }, findings: [], trigger: 'interval' }) + '\n'
    )
    const alice = agent(base, 'alice', ['--json', '--history', aliceHistory, '--metrics-listen', '127.0.0.1:0', '--loki', lk.url])
    const bob = agent(base, 'bob')
    const carol = agent(base, 'carol', ['--history', '/dev/full'])
    const metricsUrl = (JSON.parse(await alice.waitFor(/"event":"metrics"/)) as { url: string }).url
    await Promise.all([alice.waitFor(/"event":"pair".*"peer":"bob"/, 60_000), alice.waitFor(/"event":"pair".*"peer":"carol"/, 60_000), bob.waitFor(/^pair bob ↔ carol: direct/, 60_000)])

    // The matrix: every pair direct.
    let m = await matrix(base, ['--json'])
    for (let i = 0; i < 20 && (JSON.parse(m.stdout) as { pairs: Array<{ verdict: string }> }).pairs.some((p) => p.verdict === 'untested'); i++) {
      await new Promise((r) => setTimeout(r, 500))
      m = await matrix(base, ['--json'])
    }
    expect(m.code, m.stderr).toBe(0)
    const parsed = JSON.parse(m.stdout) as { peers: string[]; pairs: Array<{ a: string; b: string; verdict: string; at: string; rttMs: number; reason: string }> }
    expect(parsed.peers).toEqual(['alice', 'bob', 'carol'])
    expect(parsed.pairs.map((p) => `${p.a}-${p.b}:${p.verdict}`)).toEqual(['alice-bob:direct', 'alice-carol:direct', 'bob-carol:direct'])
    for (const p of parsed.pairs) {
      expect(Object.keys(p).sort()).toEqual(['a', 'at', 'b', 'reason', 'rttMs', 'verdict'])
      expect(p.rttMs).toBeGreaterThan(0)
    }
    const text = await matrix(base)
    expect(text.stdout).toMatch(/^alice\s+-\s+direct\s+direct$/m)
    expect(text.stdout).toMatch(/^bob ↔ carol: direct, rtt /m)

    // The flip from the remembered relayed path, as a JSON line, in the history and in Loki.
    const flip = JSON.parse(await alice.waitFor(/"event":"flip"/)) as { changes: string[]; before: { verdict: string }; after: { verdict: string }; text: string }
    expect(flip.changes).toEqual(['path'])
    expect([flip.before.verdict, flip.after.verdict]).toEqual(['relayed', 'direct'])
    expect(readFileSync(aliceHistory, 'utf8')).toMatch(/"kind":"flip"/)
    const pushed = (): string => JSON.stringify(lk.pushes)
    for (let i = 0; i < 50 && !(pushed().includes('"role":"join"') && pushed().includes('"kind":"flip"')); i++) await new Promise((r) => setTimeout(r, 100))
    expect(JSON.stringify(lk.pushes)).toMatch(/"kind":"flip".*relayed → direct/)
    // And the session timelines, one stream per side, as peerlens show --loki sends them.
    expect(JSON.stringify(lk.pushes)).toMatch(/"stream":\{"app":"peerlens","role":"join","room":"[A-Za-z0-9_-]+"\}/)

    // The agent's metrics.
    const metrics = await (await fetch(metricsUrl)).text()
    expect(metrics).toMatch(/^peerlens_peer_path\{peer="bob",path="direct"\} 1$/m)
    expect(metrics).toMatch(/^peerlens_peer_path\{peer="bob",path="relayed"\} 0$/m)
    expect(metrics).toMatch(/^peerlens_peer_path_changes_total\{peer="bob"\} 1$/m)
    expect(metrics).toMatch(/^peerlens_peer_rtt_seconds\{peer="carol"\} 0\.\d+$/m)
    expect(metrics).toMatch(/^peerlens_peer_last_test_timestamp_seconds\{peer="carol"\} \d{10}$/m)
    expect(metrics).toMatch(/^peerlens_agent_group_members 3$/m)
    if (HAVE_PROMTOOL) {
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' })
      expect(lint.status, lint.stdout + lint.stderr).toBe(0)
    }

    // A full history file: one clear warning, and carol tests on.
    await carol.waitFor(/^pair carol ↔ alice: direct/, 60_000)
    expect(carol.stderr()).toMatch(/^warning: cannot write history \/dev\/full: no space left on the device; the agent runs on without it$/m)
    expect(carol.stderr().match(/cannot write history/g)!.length).toBe(1)

    // Stopped by SIGTERM: exit 0, and it leaves the group.
    bob.child.kill('SIGTERM')
    expect(await bob.exit).toBe(0)
    expect(bob.stderr()).toMatch(/^stopped$/m)
    const after = JSON.parse((await matrix(base, ['--json'])).stdout) as { peers: string[] }
    expect(after.peers).toEqual(['alice', 'carol'])

    // The secret is in no output and no log line.
    for (const r of [alice, bob, carol, server]) expect(r.stdout() + r.stderr()).not.toContain(SECRET)
  }, 120_000)

  it('refuses a wrong group secret, a missing secret, and a secret on the command line', async () => {
    const { base } = await signal()
    const alice = agent(base, 'alice')
    await alice.waitFor(/^registered in group lab/)
    // A member of the group cannot send an agent to another server.
    const fake = new GroupClient(base, 'lab', groupKey('lab', SECRET))
    await fake.register('zz-fake')
    await fake.send('alice', 'zz-fake', 'invite', { url: 'http://127.0.0.1:9/join/room1#secret' })
    for (let i = 0; i < 40 && !/ignored an invite/.test(alice.stderr()); i++) await new Promise((r) => setTimeout(r, 100))
    expect(alice.stderr()).toMatch(/^warning: ignored an invite from zz-fake to another server$/m)
    await fake.leave('zz-fake')
    const wrong = agent(base, 'mallory', [], 'not-the-right-secret')
    expect(await wrong.exit).toBe(2)
    expect(wrong.stderr()).toMatch(/^peerlens agent: wrong group secret for group lab/m)
    const m = await matrix(base, [], 'not-the-right-secret')
    expect(m.code).toBe(2)
    expect(m.stderr).toBe('peerlens matrix: wrong group secret for group lab\n')
    const none = await runCli(['agent', '--signal', base, '--group', 'lab'], { env: { PEERLENS_GROUP_SECRET: '' } })
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/the group secret is needed: --group-secret-file FILE/)
    const arg = await runCli(['agent', '--signal', base, '--group', 'lab', '--group-secret', 'x'])
    expect(arg.code).toBe(2)
    expect(arg.stderr).toMatch(/unknown option --group-secret/)
    const badName = await runCli(['matrix', '--signal', base, '--group', '../etc'], { env: { PEERLENS_GROUP_SECRET: SECRET } })
    expect(badName.code).toBe(2)
    const dir = tempDir('agent')
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`)
    const fromFile = await runCli(['matrix', '--signal', base, '--group', 'lab', '--group-secret-file', join(dir, 'secret')], { env: { PEERLENS_GROUP_SECRET: '' } })
    expect(fromFile.code, fromFile.stderr).toBe(0)
    expect(fromFile.stdout).toMatch(/^alice\s+-$/m)
    const unreachable = await runCli(['matrix', '--signal', 'http://127.0.0.1:9/', '--group', 'lab'], { env: { PEERLENS_GROUP_SECRET: SECRET } })
    expect(unreachable.code).toBe(3)
    expect(existsSync(join(dir, 'secret'))).toBe(true)
  }, 60_000)
})
