// A comparison of two reports (src/shared/diagnosis/compare.ts) as text, Markdown or one
// self-contained HTML page: what `peerlens show A.json --compare B.json` prints or writes.
import type { Change, CompareRow, ComparedFinding, ReportComparison } from '../diagnosis/compare'
import { SECTION_TITLES } from '../diagnosis/compare'

export const CHANGE_WORDS: Record<Change, string> = { same: 'same', better: 'better', worse: 'worse', changed: 'changed' }
export const FINDING_WORDS: Record<ComparedFinding['status'], string> = { appeared: 'appeared', gone: 'went away', kept: 'still there' }

function sections(c: ReportComparison): [string, CompareRow[]][] {
  const out = new Map<string, CompareRow[]>()
  for (const row of c.rows) {
    const title = SECTION_TITLES[row.section]
    out.set(title, [...(out.get(title) ?? []), row])
  }
  return [...out]
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

export function comparisonText(c: ReportComparison): string {
  const lines = [
    `compare: ${c.headline}`,
    `before: ${c.before.createdAt}, written by the ${c.before.writtenBy} (${c.before.peers})`,
    `after:  ${c.after.createdAt}, written by the ${c.after.writtenBy} (${c.after.peers})`
  ]
  const width = Math.max(...c.rows.map((r) => r.label.length))
  const beforeWidth = Math.min(40, Math.max(6, ...c.rows.map((r) => r.before.length)))
  for (const [title, rows] of sections(c)) {
    lines.push('', `${title}:`)
    for (const r of rows) lines.push(`  ${pad(r.label, width)}  ${pad(r.before, beforeWidth)}  ->  ${r.after}${r.change === 'same' ? '' : `  [${CHANGE_WORDS[r.change]}]`}`)
  }
  lines.push('', 'Findings:')
  if (!c.findings.length) lines.push('  none in either report')
  for (const f of c.findings) lines.push(`  ${pad(FINDING_WORDS[f.status], 11)}  ${f.level}: ${f.text}`)
  return lines.join('\n') + '\n'
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

export function comparisonMarkdown(c: ReportComparison): string {
  const lines = [
    '# peerlens: before and after',
    '',
    `**${cell(c.headline)}**`,
    '',
    `- Before: ${cell(c.before.createdAt)}, written by the ${c.before.writtenBy} (${cell(c.before.peers)})`,
    `- After: ${cell(c.after.createdAt)}, written by the ${c.after.writtenBy} (${cell(c.after.peers)})`
  ]
  for (const [title, rows] of sections(c)) {
    lines.push('', `## ${title}`, '', '| | before | after | change |', '| --- | --- | --- | --- |')
    for (const r of rows) lines.push(`| ${cell(r.label)} | ${cell(r.before)} | ${cell(r.after)} | ${r.change === 'same' ? '' : CHANGE_WORDS[r.change]} |`)
  }
  lines.push('', '## Findings', '')
  if (!c.findings.length) lines.push('None in either report.')
  for (const f of c.findings) lines.push(`- **${FINDING_WORDS[f.status]}** (${f.level}): ${cell(f.text)}`)
  return lines.join('\n') + '\n'
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d8dde3;padding:.35rem .5rem;text-align:left;vertical-align:top}
.better{color:#137333;font-weight:600}.worse{color:#b3261e;font-weight:600}.changed{color:#8a5a00}
.appeared{color:#b3261e}.gone{color:#137333}.kept{color:#57606a}
@media (prefers-color-scheme:dark){body{background:#111418;color:#e6e9ed}th,td{border-color:#2d333b}.better{color:#5fd38d}.worse{color:#ff8a80}.changed{color:#e0b354}}`

export function comparisonHtml(c: ReportComparison): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>peerlens: before and after</title><style>${STYLE}</style></head><body>`,
    '<h1>peerlens: before and after</h1>',
    `<p class="${c.change}"><strong>${esc(c.headline)}</strong></p>`,
    `<ul><li>Before: ${esc(c.before.createdAt)}, written by the ${esc(c.before.writtenBy)} (${esc(c.before.peers)})</li>`,
    `<li>After: ${esc(c.after.createdAt)}, written by the ${esc(c.after.writtenBy)} (${esc(c.after.peers)})</li></ul>`
  ]
  for (const [title, rows] of sections(c)) {
    parts.push(`<h2>${esc(title)}</h2><table><thead><tr><th></th><th>before</th><th>after</th><th>change</th></tr></thead><tbody>`)
    for (const r of rows) parts.push(`<tr><th scope="row">${esc(r.label)}</th><td>${esc(r.before)}</td><td>${esc(r.after)}</td><td class="${r.change}">${r.change === 'same' ? '' : CHANGE_WORDS[r.change]}</td></tr>`)
    parts.push('</tbody></table>')
  }
  parts.push('<h2>Findings</h2>')
  if (!c.findings.length) parts.push('<p>None in either report.</p>')
  else parts.push('<ul>' + c.findings.map((f) => `<li class="${f.status}"><strong>${FINDING_WORDS[f.status]}</strong> (${f.level}): ${esc(f.text)}</li>`).join('') + '</ul>')
  parts.push('</body></html>')
  return parts.join('\n') + '\n'
}
