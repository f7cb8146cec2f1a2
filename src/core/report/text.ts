// The human summary `peerlens show` prints: a screenful, no markup. Every line goes through cleanLine
// on its way out: a name or reason from the other side (or a crafted report file) holding escape
// sequences or line breaks cannot clear, retitle or scribble on the terminal.
import type { Report, Side } from '../../shared/report'
import { findings, predictionCheck } from '../../shared/diagnosis/findings'
import { rankRemedies, remedyText } from '../../shared/diagnosis/remedies'
import { candidateCounts, endpointText, formatDoubleNat, formatPortMapping, ms, natText, networkText, osText, pairText, pathMtuValue, pathSummaryLines, routeText, routeToPeer, seconds, sideTitle, utc, verdictTimingText } from '../../shared/format'
import { cleanLine } from '../../shared/cleanText'

const MARK = { bad: '!!', warn: ' !', info: ' -' } as const

function sideLines(side: Side): string[] {
  if (side.missing) return [`${sideTitle(side)}: missing (${side.why})`]
  const route = routeToPeer(side)
  return [
    `${sideTitle(side)}: ${osText(side)}, peerlens ${side.app.version}${side.userAgent ? `, ${side.userAgent}` : ''}`,
    `  NAT: ${natText(side.nat)}${side.nat?.mapped ? `, public ${endpointText(side.nat.mapped)}` : ''}`,
    ...(side.nat6 !== undefined ? [`  NAT (IPv6): ${natText(side.nat6)}`] : []),
    ...(side.nat?.portMapping ? [`  port mapping: ${formatPortMapping(side.nat.portMapping)}`] : []),
    ...(side.nat?.doubleNat ? [`  double NAT: ${formatDoubleNat(side.nat.doubleNat)}`] : []),
    `  local candidates: ${candidateCounts(side.candidates.local)}; ${side.pairs.length} pairs (${side.pairs.filter((p) => p.state === 'succeeded').length} succeeded)`,
    ...(route ? [`  route toward ${route.destination}: ${routeText(route)}`] : []),
    ...(networkText(side.network) ? [`  network: ${networkText(side.network)}`] : []),
    ...(side.pathMtu ? [`  path MTU: ${pathMtuValue(side.pathMtu)}${side.pathMtu.reason ? ` (${side.pathMtu.reason})` : ''}`] : [])
  ]
}

export function renderText(report: Report): string {
  const c = report.connection
  const check = predictionCheck(report)
  const lines = [
    `peerlens report written by the ${report.writtenBy === 'host' ? 'host' : 'joiner'} at ${utc(report.createdAt)} (peerlens ${report.app.version})${report.redaction ? ', redacted' : ''}`,
    '',
    `verdict: ${c.verdict}: ${c.reason}`,
    `selected pair: ${pairText(c.selectedPair)}${c.rttMs !== null ? `, rtt ${ms(c.rttMs)}` : ''}${c.connectedAfterMs !== null ? `, connected after ${seconds(c.connectedAfterMs)}` : ''}`
  ]
  const timing = verdictTimingText(c)
  if (timing) lines.push(`timing: ${timing}`)
  if (report.prediction) lines.push(`prediction: ${report.prediction.verdict}: ${report.prediction.reason}${check?.disagrees ? '  <-- DISAGREES' : ''}`)
  for (const a of c.attempts ?? []) lines.push(`attempt ${a.id} (${a.policy}): ${a.outcome}${a.used ? ', used' : ''}: ${a.reason}`)
  lines.push('')
  for (const side of report.sides) lines.push(...sideLines(side))
  lines.push(...pathSummaryLines(report.paths))
  for (const t of report.portTests ?? []) lines.push(`UDP port ${t.port}: ${t.reachable ? 'reachable both ways' : 'not reachable'}: ${t.reason}`)
  const found = findings(report)
  if (found.length) {
    lines.push('', 'findings:')
    for (const f of found) lines.push(`${MARK[f.level]} ${f.text}`)
  }
  const next = rankRemedies(found)
  if (next.length) lines.push('', 'what to do next:', ...next.map((r) => `  ${remedyText(r)}`))
  const t = report.timeline
  if (t.length) lines.push('', `timeline: ${t.length} events over ${seconds(t[t.length - 1]!.unixMs - t[0]!.unixMs)}`)
  return lines.map(cleanLine).join('\n') + '\n'
}
