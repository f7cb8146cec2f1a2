// A short Markdown summary to paste into a ticket; the JSON (or the HTML) goes along as the attachment.
import type { Report, Side, SideReport } from '../../shared/report'
import { findings, predictionCheck } from '../../shared/diagnosis/findings'
import { rankRemedies } from '../../shared/diagnosis/remedies'
import { candidateCounts, endpointText, ms, natText, osText, pairText, rate, roleName, seconds, utc } from '../../shared/format'

/** Escapes what Markdown would read as markup, and keeps a value on one table line. */
export function mdEscape(text: string): string {
  // `<` only where it could open an HTML tag: "<->" in a pair stays readable.
  return text.replace(/[\\`*_[\]|]|<(?=[A-Za-z/!?])/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

const ICON = { bad: '**!!** ', warn: '**!** ', info: '' } as const

function cell(side: Side, value: (s: SideReport) => string): string {
  return side.missing ? '_missing_' : value(side)
}

export function renderMarkdown(report: Report): string {
  const c = report.connection
  const check = predictionCheck(report)
  const [host, join] = report.sides
  const title = `peerlens: ${c.verdict}${check?.disagrees ? ` (predicted ${report.prediction!.verdict})` : ''}`
  const out: string[] = [`### ${mdEscape(title)}`, '']
  out.push(`**Verdict:** ${c.verdict}: ${mdEscape(c.reason)}  `)
  out.push(`**Selected pair:** ${c.selectedPair ? code(pairText(c.selectedPair)) : 'none'}${c.rttMs !== null ? `, RTT ${ms(c.rttMs)}` : ''}${c.connectedAfterMs !== null ? `, connected after ${seconds(c.connectedAfterMs)}` : ''}  `)
  if (report.prediction) out.push(`**Prediction:** ${report.prediction.verdict}: ${mdEscape(report.prediction.reason)}${check?.disagrees ? ' **(disagrees)**' : ''}  `)
  if (c.attempts?.length) out.push(`**Attempts:** ${c.attempts.map((a) => `${a.id} (${a.policy}) ${a.outcome}${a.used ? ', used' : ''}`).join('; ')}  `)
  out.push('')
  const rows: Array<[string, (s: SideReport) => string]> = [
    ['Machine', (s) => `${mdEscape(s.name)}: ${mdEscape(osText(s))}`],
    ['peerlens', (s) => mdEscape(s.app.version)],
    ['NAT (IPv4)', (s) => mdEscape(natText(s.nat))],
    ['Public address', (s) => (s.nat?.mapped ? code(endpointText(s.nat.mapped)) : '-')],
    ['Candidates', (s) => candidateCounts(s.candidates.local)],
    ['Route to peer', (s) => {
      const r = s.system?.routes.find((x) => x.ok)
      return r ? `${r.vpnLike ? '**' : ''}${mdEscape(`${r.interface}${r.gateway ? ` via ${r.gateway}` : ''}${r.vpnLike ? ' (VPN-like)' : ''}`)}${r.vpnLike ? '**' : ''}` : '-'
    }],
    ['Path MTU', (s) => (s.pathMtu?.mtu ? String(s.pathMtu.mtu) : '-')]
  ]
  out.push(`| | ${roleName(host.role)} | ${roleName(join.role)} |`, '|---|---|---|')
  for (const [name, value] of rows) out.push(`| ${name} | ${cell(host, value)} | ${cell(join, value)} |`)
  for (const side of report.sides) if (side.missing) out.push('', `The ${roleName(side.role)}'s half is missing: ${mdEscape(side.why)}`)
  const paths = [report.paths?.direct, report.paths?.relay].filter((p) => !!p)
  if (paths.length) {
    out.push('')
    for (const p of paths) {
      const stats = p.rtt ? `RTT p50 ${ms(p.rtt.p50Ms)}, p95 ${ms(p.rtt.p95Ms)}, jitter ${ms(p.jitterMs)}, loss ${p.lossPercent}%` : mdEscape(p.error ?? 'not measured')
      const tput = p.throughput ? `; ${rate(p.throughput.hostToJoinBps)} host to joiner, ${rate(p.throughput.joinToHostBps)} joiner to host` : ''
      out.push(`- **${p.path} path:** ${stats}${tput}`)
    }
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
  out.push('', `_Report written by the ${roleName(report.writtenBy)} at ${utc(report.createdAt)}, peerlens ${mdEscape(report.app.version)}${report.redaction ? `, redacted (${report.redaction.publicAddresses} public addresses replaced)` : ''}. The full report (JSON or HTML) has every candidate, pair and event._`)
  return out.join('\n') + '\n'
}
