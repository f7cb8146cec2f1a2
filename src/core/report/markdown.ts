// A short Markdown summary to paste into a ticket; the JSON (or the HTML) goes along as the attachment.
// Every string that comes from the report (names, reasons, addresses, versions: the other side wrote
// half of them) goes through mdEscape or code: no raw HTML, no link, no line break of its own.
import type { Report, Side, SideReport } from '../../shared/report'
import { findings, predictionCheck } from '../../shared/diagnosis/findings'
import { rankRemedies } from '../../shared/diagnosis/remedies'
import { candidateCounts, endpointText, formatDoubleNat, formatPortMapping, ms, natText, networkText, osText, measuredPaths, overheadText, pairText, pathMtuValue, pathRows, relayOverhead, roleName, routeText, routeToPeer, seconds, utc, verdictTimingText } from '../../shared/format'
import { cleanLine } from '../../shared/cleanText'

/**
 * Escapes what Markdown would read as markup and keeps a value on one line (of a table too): every
 * punctuation mark that makes emphasis, code, links, images, tables or entities (`\ * _ ~ [ ] | &`
 * and backticks), `<` where it could open a tag or an autolink (so "<->" in a pair stays readable),
 * what starts a block at the beginning (`#`, `-`, `+`, `>`, the dot of "1."), and the colon of a script
 * scheme ("javascript:"). Parentheses stay as they are, readable: with every `[`, `]` and `<` escaped
 * no link or image can form around them. Line breaks (a lone `\r` too) become a space; other control
 * characters go.
 */
export function mdEscape(text: string): string {
  return cleanLine(text)
    .replace(/[\\`*_~[\]|&]|<(?=[A-Za-z/!?])/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+-]|\d+(?=[.)](?:\s|$)))/, (_m, space: string, mark: string) => (/\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`))
    .replace(/(javascript|vbscript|livescript|data|file|mailto|xmpp)(\s*):/gi, '$1$2\\:')
}

/** Inline code: nothing inside is markup, but a backtick would end it and a `|` a table cell. */
function code(text: string): string {
  return `\`${cleanLine(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``
}

const ICON = { bad: '**!!** ', warn: '**!** ', info: '' } as const

function cell(side: Side, value: (s: SideReport) => string): string {
  return side.missing ? '_missing_' : value(side)
}

function route(s: SideReport): string {
  const r = routeToPeer(s)
  if (!r) return '-'
  const text = `toward ${mdEscape(r.destination)}: ${mdEscape(routeText(r))}`
  return r.vpnLike ? `**${text}**` : text
}

export function renderMarkdown(report: Report): string {
  const c = report.connection
  const check = predictionCheck(report)
  const [host, join] = report.sides
  const title = `peerlens: ${c.verdict}${check?.disagrees ? ` (predicted ${report.prediction!.verdict})` : ''}`
  const out: string[] = [`### ${mdEscape(title)}`, '']
  out.push(`**Verdict:** ${mdEscape(c.verdict)}: ${mdEscape(c.reason)}  `)
  out.push(`**Selected pair:** ${c.selectedPair ? code(pairText(c.selectedPair)) : 'none'}${c.rttMs !== null ? `, RTT ${ms(c.rttMs)}` : ''}${c.connectedAfterMs !== null ? `, connected after ${seconds(c.connectedAfterMs)}` : ''}  `)
  const timing = verdictTimingText(c)
  if (timing) out.push(`**Timing:** ${mdEscape(timing)}  `)
  if (report.prediction) out.push(`**Prediction:** ${mdEscape(report.prediction.verdict)}: ${mdEscape(report.prediction.reason)}${check?.disagrees ? ' **(disagrees)**' : ''}  `)
  if (c.attempts?.length) out.push(`**Attempts:** ${c.attempts.map((a) => mdEscape(`${a.id} (${a.policy}) ${a.outcome}${a.used ? ', used' : ''}`)).join('; ')}  `)
  out.push('')
  const rows: Array<[string, (s: SideReport) => string]> = [
    ['Machine', (s) => `${mdEscape(s.name)}: ${mdEscape(osText(s))}`],
    ['peerlens', (s) => mdEscape(s.app.version)],
    ['NAT (IPv4)', (s) => mdEscape(natText(s.nat))],
    ['Public address', (s) => (s.nat?.mapped ? code(endpointText(s.nat.mapped)) : '-')],
    ['Candidates', (s) => mdEscape(candidateCounts(s.candidates.local))],
    ['Route to peer', route],
    ['Path MTU', (s) => (s.pathMtu ? mdEscape(pathMtuValue(s.pathMtu)) : '-')],
    ...(report.sides.some((s) => !s.missing && s.network) ? [['Network', (s: SideReport) => mdEscape(networkText(s.network) ?? '-')] as [string, (s: SideReport) => string]] : []),
    ...(report.sides.some((s) => !s.missing && s.nat?.portMapping) ? [['Port mapping', (s: SideReport) => (s.nat?.portMapping ? mdEscape(formatPortMapping(s.nat.portMapping)) : '-')] as [string, (s: SideReport) => string]] : []),
    ...(report.sides.some((s) => !s.missing && s.nat?.doubleNat) ? [['Double NAT', (s: SideReport) => (s.nat?.doubleNat ? mdEscape(formatDoubleNat(s.nat.doubleNat)) : '-')] as [string, (s: SideReport) => string]] : [])
  ]
  out.push(`| | ${roleName(host.role)} | ${roleName(join.role)} |`, '|---|---|---|')
  for (const [name, value] of rows) out.push(`| ${name} | ${cell(host, value)} | ${cell(join, value)} |`)
  for (const side of report.sides) if (side.missing) out.push('', `The ${roleName(side.role)}'s half is missing: ${mdEscape(side.why)}`)
  const paths = measuredPaths(report.paths)
  if (paths.length) {
    out.push('')
    for (const p of paths) {
      out.push(`- **${mdEscape(p.path)} path:**${!p.rtt && p.error ? ` ${mdEscape(p.error)}` : ''}`)
      for (const [label, value] of pathRows(p)) if (label !== 'error') out.push(`  - ${mdEscape(label)}: ${mdEscape(value)}`)
    }
    const o = relayOverhead(report.paths)
    if (o) out.push(`- **relay overhead:** ${mdEscape(overheadText(o))}`)
  }
  for (const t of report.portTests ?? []) out.push(`- **UDP port ${t.port}:** ${t.reachable ? 'reachable both ways' : 'not reachable'}: ${mdEscape(t.reason)}`)
  const found = findings(report)
  if (found.length) {
    out.push('', '**Findings**', '')
    for (const f of found) out.push(`- ${ICON[f.level]}${mdEscape(f.text)}`)
  }
  const next = rankRemedies(found)
  if (next.length) {
    out.push('', '**What to do next**', '')
    for (const r of next) out.push(`${r.rank}. ${mdEscape(r.action)} _(evidence: ${mdEscape(r.evidence)})_`)
  }
  out.push('', `_Report written by the ${roleName(report.writtenBy)} at ${mdEscape(utc(report.createdAt))}, peerlens ${mdEscape(report.app.version)}${report.redaction ? `, redacted (${report.redaction.publicAddresses} public addresses replaced)` : ''}. The full report (JSON or HTML) has every candidate, pair and event._`)
  return out.join('\n') + '\n'
}
