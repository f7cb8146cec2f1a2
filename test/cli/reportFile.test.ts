// Issue 17 items 3 and 5: --report is checked before the session starts; a report that still
// cannot be written at the end lands somewhere safe, said on stderr; failed writes leave no .tmp.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, type Running } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'
import { fixtureReport } from '../core/report/fixture'

const dir = tempDir('report-file')
const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})

function start(args: string[], options?: Parameters<typeof startCli>[1]): Running {
  const r = startCli(args, options)
  running.push(r)
  return r
}

describe('--report is checked before anything starts', () => {
  const cases: Array<{ what: string; file: () => string; says: RegExp }> = [
    { what: 'a folder that does not exist', file: () => '/nonexistent/dir/r.json', says: /--report \/nonexistent\/dir\/r\.json: the folder \/nonexistent\/dir does not exist/ },
    { what: 'a folder', file: () => dir, says: /is a folder/ },
    {
      what: 'a path through a file',
      file: () => {
        writeFileSync(join(dir, 'plain'), 'x')
        return join(dir, 'plain', 'r.json')
      },
      says: /is not a folder/
    }
  ]
  for (const { what, file, says } of cases) {
    it(`host: ${what}: exit 2 with one line, before any invite`, async () => {
      const r = await runCli(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30', '--report', file()])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(says)
    })
  }

  it('join: exit 2 for the report, before it tries the invite (no "unreachable")', async () => {
    const r = await runCli(['join', 'http://127.0.0.1:9/join/room#secret', '--report', '/nonexistent/dir/r.json'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe('peerlens join: --report /nonexistent/dir/r.json: the folder /nonexistent/dir does not exist')
  })

  it('the check leaves nothing behind in the folder, and a report file that exists is kept until the end', async () => {
    const folder = join(dir, 'kept')
    mkdirSync(folder)
    const file = join(folder, 'r.json')
    writeFileSync(file, 'old')
    const host = start(['host', '--listen', '127.0.0.1:0', '--timeout', '30', '--report', file])
    await host.waitFor(/^invite: /)
    expect(readdirSync(folder)).toEqual(['r.json'])
    expect(readFileSync(file, 'utf8')).toBe('old')
  })
})

describe('a report that cannot be written at the end', () => {
  it('goes to the temp folder, and stderr says where (exit 2)', async () => {
    const folder = join(dir, 'vanishing')
    const tmp = join(dir, 'tmp')
    mkdirSync(folder)
    mkdirSync(tmp)
    const host = start(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '30', '--no-nat', '--throughput-mb', '0', '--report', join(folder, 'r.json')], { env: { TMPDIR: tmp } })
    const invite = (await host.waitFor(/^invite: /)).slice('invite: '.length)
    // The folder goes away while the session runs.
    rmSync(folder, { recursive: true })
    const joiner = await runCli(['join', invite, '--offline', '--timeout', '30', '--no-nat', '--throughput-mb', '0'])
    expect(joiner.code, joiner.stderr).toBe(0)
    expect(await host.exit).toBe(2)
    expect(host.stdout()).toMatch(/^result: direct/m)
    const saved = readdirSync(tmp).filter((f) => /^peerlens-report-.*\.json$/.test(f))
    expect(saved).toHaveLength(1)
    expect(host.stderr()).toContain(`peerlens: cannot write report ${join(folder, 'r.json')}: no such file or folder; saved to ${join(tmp, saved[0]!)} instead\n`)
    const report = JSON.parse(readFileSync(join(tmp, saved[0]!), 'utf8'))
    expect(report.sides.map((s: { missing?: boolean }) => !!s.missing)).toEqual([false, false])
    // --throughput-mb 0: the result and the report say the measurement was off, and why.
    expect(host.stdout()).toMatch(/^ {2}throughput: off: turned off \(--throughput-mb 0\)$/m)
    expect(report.paths.direct.throughput).toMatchObject({ bytes: 0, off: 'turned off (--throughput-mb 0)' })
  })
})

describe('failed writes leave no .tmp file', () => {
  const fixture = join(dir, 'fixture.json')
  writeFileSync(fixture, JSON.stringify(fixtureReport()))

  it('show --html FOLDER: exit 2, "is a folder", nothing left beside it', async () => {
    const out = join(dir, 'html-out')
    mkdirSync(out)
    const r = await runCli(['show', fixture, '--html', out])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`peerlens show: cannot write ${out}: is a folder`)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(readdirSync(out)).toEqual([])
  })

  it('show --html into a missing folder: exit 2, no .tmp anywhere', async () => {
    const r = await runCli(['show', fixture, '--html', join(dir, 'missing', 'x.html')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot write .*x\.html: no such file or folder/)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
