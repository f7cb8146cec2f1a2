import { describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { fixtureReport } from './fixture'
import { renderHtml } from '../../../src/core/report/html'
import { renderMarkdown, mdEscape } from '../../../src/core/report/markdown'
import { renderText } from '../../../src/core/report/text'
import { reportSchemaError } from '../../../src/core/report/validate'
import { redactReport } from '../../../src/core/report/redact'
import type { Report } from '../../../src/shared/report'

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url))

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const file = GOLDEN + name
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true })
    writeFileSync(file, actual)
  }
  expect(actual, `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(file, 'utf8'))
}

describe('golden renderings of the fixture report', () => {
  it('HTML', () => golden('report.html', renderHtml(fixtureReport())))
  it('Markdown', () => golden('report.md', renderMarkdown(fixtureReport())))
  it('text summary', () => golden('report.txt', renderText(fixtureReport())))
  it('redacted Markdown', () => golden('report.redacted.md', renderMarkdown(redactReport(fixtureReport()))))
})

function withMissingJoin(): Report {
  const r = fixtureReport()
  r.sides[1] = { role: 'join', missing: true, why: 'the other side sent no report half (it quit early, or the data channel never opened)' }
  r.timeline = r.timeline.filter((e) => e.role === 'host')
  return r
}

describe('HTML report', () => {
  const html = renderHtml(fixtureReport())

  it('is self-contained: no script, no external resource, a CSP that forbids them', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i)
    expect(html).not.toMatch(/(src|href)="(?!#)/i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
  })

  it('has every section, charts as inline SVG, and print styles', () => {
    for (const id of ['summary', 'findings', 'sides', 'paths', 'candidates', 'pairs', 'timeline', 'system']) expect(html).toContain(`id="${id}"`)
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(5)
    expect(html).toContain('@media print')
    expect(html).toContain('<span class="flag">disagrees</span>')
  })

  it('escapes whatever the report holds', () => {
    const r = fixtureReport()
    ;(r.sides[0] as { name: string }).name = '<img src=x onerror=alert(1)>'
    r.connection.reason = '"><script>alert(1)</script>'
    const out = renderHtml(r)
    expect(out).not.toContain('<img src=x')
    expect(out).not.toContain('<script>')
    expect(out).toContain('&lt;script&gt;')
  })

  it('shows a missing side with why, and leaves out sections with nothing to show', () => {
    const out = renderHtml(withMissingJoin())
    expect(out).toContain('<span class="flag">missing</span> the other side sent no report half')
    const bare = fixtureReport()
    delete bare.paths
    delete bare.portTests
    for (const s of bare.sides) if (!s.missing) delete s.system
    const plain = renderHtml(bare)
    expect(plain).not.toContain('id="paths"')
    expect(plain).not.toContain('id="system"')
  })
})

describe('Markdown and text', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['<b>*x*</b>', '\\<b>\\*x\\*\\</b>'],
    ['host a:1 <-> host b:2', 'host a:1 <-> host b:2'],
    ['two\nlines', 'two lines']
  ])('escapes %j', (input, output) => expect(mdEscape(input)).toBe(output))

  it('say when a side is missing', () => {
    expect(renderMarkdown(withMissingJoin())).toMatch(/The joiner's half is missing: the other side sent no report half/)
    expect(renderText(withMissingJoin())).toMatch(/joiner: missing \(the other side sent no report half/)
  })

  it('flag a disagreement between prediction and outcome, and not an agreement', () => {
    expect(renderText(fixtureReport())).toMatch(/prediction: direct: .*<-- DISAGREES/)
    const agreeing = fixtureReport()
    agreeing.prediction = { verdict: 'relayed', reason: 'both symmetric' }
    expect(renderText(agreeing)).not.toMatch(/DISAGREES|disagree/)
    expect(renderMarkdown(agreeing)).not.toMatch(/disagree/)
  })

  it('flag a different version from the hello when the other half is missing', () => {
    const r = withMissingJoin()
    const hello = (r.sides[0] as { events: Array<{ kind: string; version?: string }> }).events.find((e) => e.kind === 'peer-hello')!
    hello.version = '0.3.0'
    expect(renderText(r)).toContain('different peerlens versions: 0.1.0 (host) and 0.3.0 (the other side, from its hello)')
    expect(renderText(withMissingJoin())).not.toContain('different peerlens versions')
  })

  it('flag different peerlens versions on the two sides', () => {
    const r = fixtureReport()
    ;(r.sides[1] as { app: { version: string } }).app.version = '0.2.0'
    expect(renderMarkdown(r)).toContain('The two sides run different peerlens versions: 0.1.0 (host) and 0.2.0 (joiner).')
  })
})

describe('port mapping and double NAT in the report (issue 13)', () => {
  it('HTML and text show them when a side measured them; the report stays valid', () => {
    const r = fixtureReport()
    const side = r.sides[0]
    if (side.missing || !side.nat) throw new Error('fixture changed')
    const p = { available: true, reason: 'ok', externalAddress: '198.51.100.7', ms: 3 }
    side.nat.portMapping = { gateway: '192.168.1.1', upnp: p, natPmp: p, pcp: { ...p, available: false, reason: 'PCP refused: not authorized', externalAddress: null }, externalAddress: '198.51.100.7' }
    side.nat.doubleNat = { detected: true, carrierGrade: true, reason: 'double NAT (carrier-grade NAT at hop 2, 100.64.0.1): ask the ISP', evidence: ['hop 2 is 100.64.0.1'], hops: [{ hop: 2, address: '100.64.0.1' }] }
    expect(reportSchemaError(r)).toBeNull()
    expect(renderText(r)).toContain('  port mapping: UPnP IGD, NAT-PMP on 192.168.1.1 (external address 198.51.100.7)')
    expect(renderText(r)).toContain('  double NAT: double NAT (carrier-grade NAT at hop 2, 100.64.0.1)')
    const html = renderHtml(r)
    expect(html).toContain('UPnP IGD, NAT-PMP on 192.168.1.1')
    expect(html).toContain('carrier-grade NAT at hop 2, 100.64.0.1')
  })
})
