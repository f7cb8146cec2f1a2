import { describe, expect, it } from 'vitest'
import { compareReports } from '../../../src/shared/diagnosis/compare'
import { comparisonHtml, comparisonMarkdown, comparisonText } from '../../../src/shared/format/compare'
import { fixtureReport } from '../../core/report/fixture'

describe('comparison renderings', () => {
  const before = fixtureReport()
  const after = fixtureReport()
  after.connection = { ...after.connection, verdict: 'direct', reason: 'direct <b>now</b> | ok' }
  const c = compareReports(before, after)

  it('text: headline, sections, the change in brackets only where something changed', () => {
    const text = comparisonText(c)
    expect(text).toMatch(/^compare: relayed → direct \(better\)/)
    expect(text).toMatch(/Verdict\s+relayed\s+->\s+direct\s+\[better\]/)
    expect(text).toMatch(/host NAT\s+Port-restricted cone NAT\s+->\s+Port-restricted cone NAT\n/)
    for (const title of ['Outcome:', 'NAT types:', 'Candidates by type:', 'Path metrics:', 'UDP port tests:', 'Findings:']) expect(text).toContain(title)
  })

  it('Markdown: one table per section, pipes escaped', () => {
    const md = comparisonMarkdown(c)
    expect(md).toContain('| Verdict | relayed | direct | better |')
    expect(md).toContain('direct <b>now</b> \\| ok')
    expect(md).toContain('## Findings')
  })

  it('HTML: self-contained, the report text escaped', () => {
    const html = comparisonHtml(c)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('direct &lt;b&gt;now&lt;/b&gt; | ok')
    expect(html).not.toContain('<b>now')
    expect(html).not.toMatch(/<script|src=|href=/)
    expect(html).toContain('<td class="better">better</td>')
  })
})
