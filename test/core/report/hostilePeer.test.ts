// Issue 15 item 5 with a real host: `peerlens host` runs as its own process and the joiner, in
// this test, is a PeerSession whose report half is hostile. The host must finish normally (exit 0)
// and write its report, the joiner's side missing with why, or present and cleaned.
// Needs `npm run build:cli` first, like test/cli/hostjoin.test.ts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, type Running } from '../../helpers/cli'
import { tempDir } from '../../helpers/tempDir'
import { joinByHand } from '../../helpers/handJoiner'
import { installWeriftPatches } from '../../../src/core/werift/patches'
import { reportSchemaError } from '../../../src/core/report/validate'
import { ESCAPES, goodHalf } from './hostileHalves'

const running: Running[] = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
})
const dir = tempDir('hostile-peer')

/** Hosts with a real `peerlens host` and joins it with a session that sends `half` as its report half. */
async function hostAgainst(half: unknown, file: string) {
  const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--report', file, '--timeout', '30', '--no-nat'])
  running.push(host)
  await joinByHand((await host.waitFor(/^invite: /)).slice('invite: '.length), { name: 'mallory', describeSide: () => half })
  const code = await host.exit
  return { code, stdout: host.stdout(), stderr: host.stderr() }
}

describe('peerlens host against a joiner whose report half is hostile', () => {
  // As the host process does (runSession): the joiner here is built by hand.
  beforeAll(() => installWeriftPatches())
  it('an event time of 1e17: exit 0, the report written, the joiner missing with why', async () => {
    const file = join(dir, 'times.json')
    const half = { ...goodHalf(), events: [{ kind: 'phase', atMs: 1e17, phase: 'done' }] }
    const r = await hostAgainst(half, file)
    expect(r.stderr).not.toMatch(/internal error|Invalid time value/)
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(file)).toBe(true)
    const report = JSON.parse(readFileSync(file, 'utf8'))
    expect(reportSchemaError(report)).toBeNull()
    expect(report.sides[0].missing).toBeFalsy()
    expect(report.sides[1]).toEqual({ role: 'join', missing: true, why: expect.stringMatching(/cannot read \(\/events\/\d+\/atMs must be <= 86400000\)/) })
  })

  it('terminal escapes in its name, version and reason: the half is kept, cleaned', async () => {
    const file = join(dir, 'escapes.json')
    const half = { ...goodHalf(), name: ESCAPES, app: { name: 'peerlens', version: ESCAPES }, reason: ESCAPES }
    const r = await hostAgainst(half, file)
    expect(r.code, r.stderr).toBe(0)
    const text = readFileSync(file, 'utf8')
    const report = JSON.parse(text)
    expect(reportSchemaError(report)).toBeNull()
    expect(report.sides[1].name).toBe('a]0;PWNED[2J31m b cd')
    expect(report.sides[1].app.version).toBe(report.sides[1].name)
    // JSON escapes C0 controls as \u001b; C1 controls would be written raw.
    expect(text).not.toMatch(/\\u001b|\\u0007|\u009b|\u202e/)
  })
})
