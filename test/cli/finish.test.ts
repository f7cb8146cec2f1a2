import { describe, expect, it } from 'vitest'
import { finishRun } from '../../src/cli/finish'
import { Printer } from '../../src/cli/printer'
import type { RunOutcome } from '../../src/core/run/runSession'
import { fixtureReport } from '../core/report/fixture'
import { bothPaths, offPath } from '../shared/format/measureFixtures'

function capture(json: boolean): { printer: Printer; io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => string } {
  let out = ''
  const io = { stdout: (t: string) => void (out += t), stderr: () => undefined }
  return { printer: new Printer(io, json), io, out: () => out }
}

function outcome(paths: NonNullable<RunOutcome['report']['paths']>): RunOutcome {
  const report = fixtureReport()
  report.paths = paths
  return { report, result: {} as RunOutcome['result'] }
}

describe('the result the CLI prints last', () => {
  it('says each path with its throughput window and UDP rate, and the relay overhead when both paths were measured', async () => {
    const c = capture(false)
    await finishRun(outcome(bothPaths()), c.printer, c.io)
    const text = c.out()
    expect(text).toMatch(/^result: relayed: [^\n]*\ndirect path:\n {2}throughput: 9\.4 Mbit\/s host→joiner \(2\.0 s, 2\.4 MB\), 9\.3 Mbit\/s joiner→host \(2\.0 s, 2\.3 MB\)\n/)
    expect(text).toContain('  UDP under 1 % loss: 9.5 Mbit/s host→joiner (capacity 9.7 Mbit/s), 9.0 Mbit/s joiner→host (capacity 9.6 Mbit/s)\n')
    expect(text).toContain('\nrelay path:\n')
    expect(text).toContain('\nrelay overhead: +29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host\n')
  })

  it('says a measurement turned off, and puts the figures and the overhead in the JSON result', async () => {
    const off = capture(false)
    await finishRun(outcome({ direct: offPath() }), off.printer, off.io)
    expect(off.out()).toContain('\n  throughput: off: turned off (--throughput-mb 0)\n')
    expect(off.out()).not.toContain('relay overhead')
    const json = capture(true)
    await finishRun(outcome(bothPaths()), json.printer, json.io)
    const result = JSON.parse(json.out().trim().split('\n').at(-1)!)
    expect(result.event).toBe('result')
    expect(result.paths.direct.throughput.hostToJoinMs).toBe(2000)
    expect(result.relayOverhead).toMatchObject({ extraRttMs: 29.1 })
    expect(result.relayOverhead.hostToJoin).toBeCloseTo(1 / 3)
  })
})
