import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../helpers/cli'
import { strictReportErrors } from '../core/report/strictSchema'
import { fixtureReport, PUBLIC } from '../core/report/fixture'
import { showCommand } from '../../src/cli/commands/show'
import { loadReport } from '../../src/core/report/load'
import { tempDir } from '../helpers/tempDir'

const dir = tempDir('show')
const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})

function io() {
  let out = ''
  let err = ''
  return { io: { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) }, out: () => out, err: () => err }
}

const fixtureFile = join(dir, 'fixture.json')
writeFileSync(fixtureFile, JSON.stringify(fixtureReport(), null, 2))

describe('peerlens host --report, then peerlens show', () => {
  it('both real reports hold both sides, validate against the schema, and render', async () => {
    const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--report', join(dir, 'host.json'), '--timeout', '30'])
    running.push(host)
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    const joiner = await runCli(['join', invite, '--offline', '--report', join(dir, 'join.json'), '--timeout', '30'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(await host.exit, host.stderr()).toBe(0)
    for (const file of ['host.json', 'join.json']) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'))
      expect(strictReportErrors(report), file).toEqual([])
      expect(report.sides.map((s: { missing?: boolean }) => !!s.missing), file).toEqual([false, false])
      expect(report.timeline.length).toBeGreaterThan(10)
      // The secret in the invite's fragment is nowhere in the report.
      expect(readFileSync(join(dir, file), 'utf8')).not.toContain(invite.split('#')[1])
    }
    const html = join(dir, 'r.html')
    const shown = await runCli(['show', join(dir, 'host.json'), '--html', html])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toMatch(/^verdict: direct: /m)
    // The result and show both say each way's throughput with its window and bytes.
    const tput = /^ {2}throughput: \S+ [kMG]?bit\/s host→joiner \(\d+\.\d s, [\d.]+ [kM]?B\), \S+ [kMG]?bit\/s joiner→host \(\d+\.\d s, [\d.]+ [kM]?B\)$/m
    expect(host.stdout()).toMatch(/^result: direct: [^\n]*\ndirect path:\n/m)
    expect(host.stdout()).toMatch(tput)
    expect(shown.stdout).toMatch(/^direct path:$/m)
    expect(shown.stdout).toMatch(tput)
    // The host is named after its OS hostname now, as the joiner always was.
    expect(shown.stdout).toMatch(/^host( \([^)]+\))?: /m)
    expect(shown.stdout).toMatch(/^joiner( \([^)]+\))?: /m)
    expect(shown.stderr).toBe(`html written to ${html}\n`)
    const page = readFileSync(html, 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<div class="verdict">direct</div>')
    expect(page).not.toMatch(/<script|<link/)
    const md = await runCli(['show', join(dir, 'join.json'), '--md'])
    expect(md.code).toBe(0)
    expect(md.stdout).toMatch(/^### peerlens: direct\n/)
  })
})

describe('peerlens show with bad files: exit 2 and one line', () => {
  const good = JSON.stringify(fixtureReport())
  const cases: Array<[string, string | null, RegExp]> = [
    ['missing.json', null, /^peerlens show: cannot read .*missing\.json: no such file$/],
    ['empty.json', '', /: the file is empty$/],
    ['truncated.json', good.slice(0, 5000), /: the report is truncated \(the JSON stops early\)$/],
    ['corrupt.json', '{"schema": "peerlens.report/v1", oops}', /: the report is not valid JSON \(/],
    ['v2.json', JSON.stringify({ ...fixtureReport(), schema: 'peerlens.report/v2' }), /: report schema peerlens\.report\/v2 is newer than this peerlens reads \(v1\): update peerlens to open it$/],
    ['other.json', '{"name":"package"}', /: not a peerlens report \(no "schema" field\)$/],
    ['shape.json', JSON.stringify({ ...fixtureReport(), sides: [{ role: 'host' }] }), /: the report does not have the v1 shape: /]
  ]
  it.each(cases)('%s', async (name, content, message) => {
    const file = join(dir, name)
    if (content !== null) writeFileSync(file, content)
    const r = await runCli(['show', file])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(r.stderr.trimEnd()).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a directory', async () => {
    const r = io()
    expect(await showCommand([dir], r.io)).toBe(2)
    expect(r.err()).toMatch(/cannot read .*: is a directory\n$/)
  })

  it('usage errors', async () => {
    expect((await runCli(['show'])).code).toBe(2)
    const both = await runCli(['show', fixtureFile, '--loki-tenant', 'x'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--loki-tenant and --loki-room need --loki URL/)
    expect((await runCli(['show', fixtureFile, '--bogus'])).code).toBe(2)
  })
})

describe('peerlens show options', () => {
  it('--redact: no original public address in the summary, the Markdown or the HTML', async () => {
    const html = join(dir, 'redacted.html')
    const r = io()
    expect(await showCommand([fixtureFile, '--redact', '--html', html], r.io)).toBe(0)
    const m = io()
    expect(await showCommand([fixtureFile, '--redact', '--md'], m.io)).toBe(0)
    for (const text of [r.out(), m.out(), readFileSync(html, 'utf8')]) {
      for (const a of Object.values(PUBLIC)) expect(text).not.toContain(a)
      expect(text).toContain('198.51.100.')
    }
  })

  it('--html to a place it cannot write: exit 2, one line', async () => {
    const r = io()
    expect(await showCommand([fixtureFile, '--html', join(dir, 'no/such/dir/x.html')], r.io)).toBe(2)
    expect(r.err()).toMatch(/^peerlens show: cannot write .*x\.html: .*\n$/)
    expect(existsSync(join(dir, 'no'))).toBe(false)
  })

  describe('--loki', () => {
    let server: Server
    const bodies: Array<{ tenant: unknown; body: { streams: Array<{ stream: Record<string, string> }> } }> = []
    afterAll(() => server?.close())

    it('pushes the timeline to a Loki on loopback (and exit 3 when it refuses)', async () => {
      let status = 204
      server = createServer((req, res) => {
        let body = ''
        req.on('data', (d) => (body += d))
        req.on('end', () => {
          bodies.push({ tenant: req.headers['x-scope-orgid'], body: JSON.parse(body) })
          res.writeHead(status).end(status === 204 ? '' : 'tenant quota exceeded')
        })
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const ok = await runCli(['show', fixtureFile, '--loki', url, '--loki-tenant', 'netops', '--loki-room', 'seed'])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stderr).toMatch(/^pushed \d+ timeline lines to Loki$/m)
      expect(bodies[0]!.tenant).toBe('netops')
      expect(bodies[0]!.body.streams.map((s) => s.stream)).toEqual([
        { app: 'peerlens', role: 'host', room: 'seed' },
        { app: 'peerlens', role: 'join', room: 'seed' }
      ])
      status = 429
      const refused = await runCli(['show', fixtureFile, '--loki', url])
      expect(refused.code).toBe(3)
      expect(refused.stderr.trim()).toBe('peerlens show: Loki answered 429: tenant quota exceeded')
    })
  })

  it('the fixture file loads as written', () => {
    expect(loadReport(readFileSync(fixtureFile, 'utf8'))).toEqual(fixtureReport())
  })
})

describe('peerlens show BEFORE.json --compare AFTER.json', () => {
  const afterFile = join(dir, 'after.json')
  const after = fixtureReport()
  after.connection = { ...after.connection, verdict: 'direct', reason: 'the selected pair is direct' }
  after.portTests = [{ ...after.portTests![0]!, reachable: true, reason: 'both ways arrived' }]
  writeFileSync(afterFile, JSON.stringify(after))

  it('text by default, Markdown with --md, one HTML file with --html', async () => {
    const text = await runCli(['show', fixtureFile, '--compare', afterFile])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^compare: relayed → direct \(better\)/)
    expect(text.stdout).toMatch(/UDP 51820\s+unreachable\s+->\s+reachable\s+\[better\]/)
    expect(text.stdout).toMatch(/went away\s+warn: UDP port 51820/)
    const md = await runCli(['show', fixtureFile, '--compare', afterFile, '--md'])
    expect(md.stdout).toContain('| Verdict | relayed | direct | better |')
    const out = join(dir, 'compare.html')
    const html = await runCli(['show', fixtureFile, '--compare', afterFile, '--html', out])
    expect(html.code, html.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('<td class="better">better</td>')
  })

  it('a damaged second report is one line on stderr and exit 2; --compare with --loki is refused', async () => {
    const bad = join(dir, 'bad-after.json')
    writeFileSync(bad, '{"schema":"peerlens.report/v1",')
    const r = await runCli(['show', fixtureFile, '--compare', bad])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`peerlens show: ${bad}: the report is truncated (the JSON stops early)`)
    expect(r.stdout).toBe('')
    const missing = await runCli(['show', fixtureFile, '--compare', join(dir, 'nope.json')])
    expect(missing.stderr.trim()).toMatch(/cannot read .*nope\.json: no such file$/)
    const loki = await runCli(['show', fixtureFile, '--compare', afterFile, '--loki', 'http://127.0.0.1:9'])
    expect(loki.code).toBe(2)
    expect(loki.stderr).toMatch(/--compare and --loki do not go together/)
  })
})
