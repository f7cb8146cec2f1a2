// src/shared/report.schema.json is generated from src/shared/reportSchema/ (npm run schema): the
// committed file must be exactly what the definition generates, and old reports must still pass.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { reportJsonSchemaText } from '../../../src/shared/reportSchema/document'
import { reportSchemaError, sideSchemaError } from '../../../src/core/report/validate'
import { fixtureReport } from '../../core/report/fixture'
import type { Report } from '../../../src/shared/report'
import type { NatResult } from '../../../src/shared/nat'
import { strictReportErrors } from '../../core/report/strictSchema'

const committed = readFileSync(new URL('../../../src/shared/report.schema.json', import.meta.url), 'utf8')

function hostNat(report: Report): NatResult {
  const host = report.sides[0]
  if (host.missing || !host.nat) throw new Error('the fixture host has a NAT result')
  return host.nat
}

describe('report.schema.json', () => {
  it('is exactly what src/shared/reportSchema generates (run `npm run schema` after changing the shape)', () => {
    expect(committed).toBe(reportJsonSchemaText())
  })

  it('still accepts the reports earlier versions wrote', () => {
    const sample = JSON.parse(readFileSync(new URL('../../e2e/sample-report.json', import.meta.url), 'utf8'))
    expect(reportSchemaError(sample)).toBeNull()
    expect(strictReportErrors(sample)).toEqual([])
    expect(reportSchemaError(fixtureReport())).toBeNull()
  })

  it('accepts a NAT result without the fields added within v1, and an event kind it does not know', () => {
    const report = fixtureReport()
    const NAT = hostNat(report)
    const { otherAddress: _o, portPreserved: _p, hairpin: _h, serverReach: _s, durationMs: _d, rttMs: _r, ignored: _i, ...oldNat } = NAT
    const host = { ...report.sides[0], nat: oldNat, events: [{ kind: 'some-later-kind', atMs: 1, anything: true }] }
    expect(sideSchemaError(host)).toBeNull()
    expect(reportSchemaError({ ...report, sides: [host, report.sides[1]] })).toBeNull()
  })

  it('still rejects what v1 never allowed', () => {
    const report = fixtureReport()
    const NAT = hostNat(report)
    expect(reportSchemaError({ ...report, sides: [{ ...report.sides[0], events: [{ kind: 'Bad Kind', atMs: 1 }] }, report.sides[1]] })).toMatch(/kind/)
    expect(sideSchemaError({ ...report.sides[0], nat: { ...NAT, tests: undefined } })).toMatch(/tests/)
  })
})
