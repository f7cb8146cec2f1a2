import { describe, expect, it } from 'vitest'
import { loadReport, ReportLoadError } from '../../../src/core/report/load'
import { fixtureReport } from './fixture'

const good = JSON.stringify(fixtureReport(), null, 2)

describe('loadReport', () => {
  it('opens a v1 report', () => {
    expect(loadReport(good)).toEqual(fixtureReport())
  })

  it.each([
    ['an empty file', '', /^the file is empty$/],
    ['whitespace', ' \n', /^the file is empty$/],
    ['a truncated file', good.slice(0, good.length / 2), /^the report is truncated/],
    ['a file cut after a value', '{"schema":"peerlens.report/v1"', /^the report is truncated/],
    ['a file cut inside a string', '{"schema":"peerl', /^the report is truncated/],
    ['garbage', 'hello world', /^the report is not valid JSON \(/],
    ['trailing garbage', good + '}', /^the report is not valid JSON/],
    ['an array', '[1,2]', /^not a peerlens report \(the JSON is not an object\)$/],
    ['null', 'null', /not an object/],
    ['an object without schema', '{"a":1}', /^not a peerlens report \(no "schema" field\)$/],
    ['another schema', '{"schema":"other/v1"}', /^not a peerlens report \(schema "other\/v1"\)$/],
    ['a newer major', '{"schema":"peerlens.report/v2","sides":7}', /^report schema peerlens\.report\/v2 is newer than this peerlens reads \(v1\): update peerlens/],
    ['an older major', '{"schema":"peerlens.report/v0"}', /is older than this peerlens reads/],
    ['a v1 with the wrong shape', JSON.stringify({ ...fixtureReport(), sides: [] }), /^the report does not have the v1 shape: \/sides /],
    ['a v1 with a bad side', JSON.stringify({ ...fixtureReport(), writtenBy: 'both' }), /\/writtenBy must be one of host, join/],
    ['a v1 nested 100,000 deep', good.replace('"events": [', '"events": [{"kind":"x","atMs":1,"deep":' + '['.repeat(100_000) + ']'.repeat(100_000) + '},'), /^not a peerlens report \(nested deeper than 36 levels\)$/],
    ['a v1 with an event time of 1e17', good.replace('"events": [', '"events": [{"kind":"x","atMs":1e17},'), /\/atMs must be <= 86400000/],
    ['a v1 with markup as an address', JSON.stringify({ ...fixtureReport(), connection: { ...fixtureReport().connection, selectedPair: { ...fixtureReport().connection.selectedPair!, remote: { ...fixtureReport().connection.selectedPair!.remote, address: '<img src=x onerror=alert(1)>' } } } }), /address must be an IP address or an mDNS \.local name$/],
    ['terminal escapes in the JSON error', '{"a":\u001b]0;PWNED\u0007}', /^the report is not valid JSON \(Unexpected token/]
  ])('gives one line for %s', (_name, text, message) => {
    let error: unknown
    try {
      loadReport(text)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ReportLoadError)
    const m = (error as Error).message
    expect(m).toMatch(message)
    expect(m).not.toContain('\n')
    // eslint-disable-next-line no-control-regex
    expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    expect(m.length).toBeLessThan(200)
  })

  it('drops credentials a foreign writer left in', () => {
    const r = fixtureReport() as unknown as Record<string, unknown>
    r.turnPass = 'hunter2'
    expect(JSON.stringify(loadReport(JSON.stringify(r)))).not.toContain('hunter2')
  })
})
