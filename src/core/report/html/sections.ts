// The HTML report's sections, each a pure function of the report returning markup.
import type { NatResult } from '../../../shared/nat'
import type { CandidateInfo } from '../../../shared/session'
import type { PathMeasurement, Report, Side, SideReport, SystemFacts } from '../../../shared/report'
import { candidateInterface, findings, predictionCheck, sameRef } from '../../../shared/diagnosis/findings'
import { rankRemedies } from '../../../shared/diagnosis/remedies'
import { candidateRefText, endpointText, eventText, formatDoubleNat, formatPortMapping, hostPort, ms, natMethodText, measuredPaths, natText, networkText, osText, overheadText, pairText, pathMtuValue, pathRows, relatedText, relayOverhead, roleName, routeText, routeToPeer, seconds, sideTitle, utc, verdictTimingText } from '../../../shared/format'
import { pairChart, rttChart, STATE_CLASS, throughputChart, timelineChart } from './charts'
import { esc } from './escape'
import { pairStateText } from '../../../shared/pairs'

type Row = Array<string | { html: string } | { num: string | number | null | undefined }>

function cellHtml(c: Row[number]): string {
  if (typeof c === 'string') return `<td>${esc(c)}</td>`
  if ('html' in c) return `<td>${c.html}</td>`
  return `<td class="num">${esc(c.num ?? '-')}</td>`
}

export function table(head: string[], rows: Row[], rowClass: (i: number) => string = () => ''): string {
  if (!rows.length) return '<p class="muted">none</p>'
  const body = rows.map((r, i) => `<tr${rowClass(i) ? ` class="${rowClass(i)}"` : ''}>${r.map(cellHtml).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** Long URLs break after ':' and '?' rather than anywhere. */
function breakable(text: string): string {
  return esc(text).replace(/([:?])/g, '$1<wbr>')
}

function kv(pairs: Array<[string, string | { html: string } | null | undefined]>): string {
  const items = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
  return `<dl class="kv">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${typeof v === 'string' ? esc(v) : v!.html}</dd>`).join('')}</dl>`
}

function present(report: Report): SideReport[] {
  return report.sides.filter((s): s is SideReport => !s.missing)
}

export function summarySection(report: Report): string {
  const c = report.connection
  const check = predictionCheck(report)
  const prediction = report.prediction
    ? { html: `${esc(`${report.prediction.verdict}: ${report.prediction.reason}`)}${check ? (check.disagrees ? `<br><span class="flag">disagrees</span> ${esc(check.text)}` : ' <span class="flag ok">as predicted</span>') : ''}` }
    : null
  const attempts = c.attempts?.length
    ? table(
        ['attempt', 'policy', 'started', 'outcome', 'selected pair', 'connected after', 'why'],
        c.attempts.map((a) => [a.id + (a.used ? ' (used)' : ''), a.policy, seconds(a.startedAtMs), a.outcome, pairText(a.selectedPair), { num: seconds(a.connectedAfterMs) }, a.reason])
      )
    : ''
  return `<section class="summary ${esc(c.verdict)}" id="summary">
<div><div class="verdict">${esc(c.verdict)}</div><div class="muted">written by the ${esc(roleName(report.writtenBy))}</div></div>
<div><p class="reason">${esc(c.reason)}</p>
${kv([
  ['selected pair', c.selectedPair ? { html: `<code>${esc(pairText(c.selectedPair))}</code>` } : 'none'],
  ['round trip', c.rttMs !== null ? ms(c.rttMs) : null],
  ['connected after', c.connectedAfterMs !== null ? seconds(c.connectedAfterMs) : null],
  ['timing', verdictTimingText(c)],
  ['prediction', prediction]
])}</div>
${attempts ? `<div class="attempts">${attempts}</div>` : ''}
</section>`
}

export function findingsSection(report: Report): string {
  const list = findings(report)
  if (!list.length) return ''
  const next = rankRemedies(list)
  const todo = next.length
    ? `<h2 id="remedies">What to do next</h2><ol class="remedies">${next.map((r) => `<li class="${r.level}">${esc(r.action)} <span class="muted">(evidence: ${esc(r.evidence)})</span></li>`).join('\n')}</ol>`
    : ''
  return `<section id="findings"><h2>What to look at</h2><ul class="findings">${list.map((f) => `<li class="${f.level}">${esc(f.text)}</li>`).join('\n')}</ul>${todo}</section>`
}

function natBlock(title: string, nat: NatResult | null | undefined): string {
  if (nat === undefined) return ''
  if (nat === null) return `<h3>${esc(title)}</h3><p class="muted">${esc(natText(nat))}</p>`
  return `<h3>${esc(title)}: ${esc(natText(nat))}</h3>${kv([
    ['mapping', nat.mapping],
    ['filtering', nat.filtering],
    ['why', nat.reason],
    ['public address', endpointText(nat.mapped)],
    ['local address', endpointText(nat.local)],
    ['STUN server', `${endpointText(nat.server)}${nat.otherAddress ? ` (other address ${endpointText(nat.otherAddress)})` : ''}`],
    ['port preserved', nat.portPreserved === null ? null : nat.portPreserved ? 'yes' : 'no'],
    ['hairpin', nat.hairpin === null ? null : nat.hairpin ? 'yes' : 'no'],
    ['port mapping', nat.portMapping ? formatPortMapping(nat.portMapping) : null],
    ['double NAT', nat.doubleNat ? formatDoubleNat(nat.doubleNat) : null],
    ['method', `${natMethodText(nat)} in ${ms(nat.durationMs, 0)}`]
  ])}`
}

function routeLine(side: SideReport): string | null {
  const r = routeToPeer(side)
  return r ? `toward ${r.destination}: ${routeText(r)}` : null
}

function sideCard(side: Side): string {
  if (side.missing) return `<div class="card missing"><h3>${esc(sideTitle(side))}</h3><p><span class="flag">missing</span> ${esc(side.why)}</p></div>`
  const servers = side.servers?.length
    ? `<h3>Servers</h3>${table(
        ['server', 'answer', 'addresses'],
        side.servers.map((s) => [
          { html: breakable(s.url) },
          s.reachable ? `yes, ${ms(s.rttMs)}` : `no${s.error ? `: ${s.error.code ? `${s.error.code} ` : ''}${s.error.reason}` : ''}`,
          [s.mapped ? `ours ${endpointText(s.mapped)}` : '', s.relay ? `relay ${endpointText(s.relay)}` : ''].filter(Boolean).join(', ') || '-'
        ])
      )}`
    : ''
  const offset = side.clockOffsetMs !== undefined ? `${side.clockOffsetMs > 0 ? '+' : ''}${ms(side.clockOffsetMs, 0)}${side.clockOffsetErrorMs !== undefined ? ` (\u00b1${ms(side.clockOffsetErrorMs, 0)})` : ''} against the writer` : null
  return `<div class="card"><h3>${esc(sideTitle(side))}</h3>${kv([
    ['system', osText(side)],
    ['browser', side.userAgent ?? null],
    ['peerlens', side.app.version],
    ['started', utc(side.startedAt)],
    ['clock offset', offset],
    ['saw', `${side.verdict}${side.rttMs !== null ? `, rtt ${ms(side.rttMs)}` : ''}`],
    ['route', routeLine(side)],
    ['network', networkText(side.network)],
    ['path MTU', side.pathMtu ? `${pathMtuValue(side.pathMtu)} toward ${endpointText(side.pathMtu.toward)}${side.pathMtu.reason ? `: ${side.pathMtu.reason}` : ''}` : null]
  ])}${natBlock('NAT (IPv4)', side.nat)}${natBlock('NAT (IPv6)', side.nat6)}${servers}</div>`
}

export function sidesSection(report: Report): string {
  return `<section id="sides"><h2>The two sides</h2><div class="cols">${report.sides.map(sideCard).join('\n')}</div></section>`
}

function pathBlock(p: PathMeasurement): string {
  const rows = pathRows(p).map(([label, value]): [string, string] => (label === 'round trip' && p.rtt ? [label, `min ${ms(p.rtt.minMs)}, ${value}, max ${ms(p.rtt.maxMs)}`] : [label, value]))
  const body = p.rtt || rows.some(([label]) => label !== 'error') ? kv([['pair', pairText(p.pair)], ...rows]) : `<p class="muted">${esc(p.error ?? 'not measured')}</p>`
  return `<div class="card"><h3>${esc(p.path)} path</h3>${body}${rttChart(p)}</div>`
}

export function pathsSection(report: Report): string {
  const paths = measuredPaths(report.paths)
  const ports = report.portTests ?? []
  if (!paths.length && !ports.length) return ''
  const o = relayOverhead(report.paths)
  const overhead = o ? kv([['relay overhead', overheadText(o)]]) : ''
  const portTable = ports.length
    ? `<h3>UDP port test</h3>${table(
        ['port', 'result', 'host \u2192 joiner', 'joiner \u2192 host', 'bound on', 'why'],
        ports.map((t) => [String(t.port), { html: t.reachable ? '<span class="flag ok">reachable</span>' : '<span class="flag">blocked</span>' }, `${t.hostToJoin.received}/${t.hostToJoin.sent} to ${endpointText(t.hostToJoin.target)}`, `${t.joinToHost.received}/${t.joinToHost.sent} to ${endpointText(t.joinToHost.target)}`, t.boundOn.map(roleName).join(', ') || '-', t.reason])
      )}`
    : ''
  return `<section id="paths"><h2>Path measurements</h2>${paths.length ? `<div class="cols">${paths.map(pathBlock).join('\n')}</div>${throughputChart(paths)}` : ''}${overhead}${portTable}</section>`
}

function candidateRows(side: SideReport, list: CandidateInfo[], local: boolean): Row[] {
  return list.map((c) => {
    const iface = local ? candidateInterface(side, c) : null
    return [`${c.type} ${c.protocol}`, { html: `<span class="mono">${breakable(hostPort(c.address, c.port))}</span>` }, { html: breakable(relatedText(c)) }, iface ? iface.name : '', { html: breakable(c.server ?? '') }, { num: c.priority }, { num: seconds(c.atMs) }]
  })
}

export function candidatesSection(report: Report): string {
  const blocks = present(report).map((side) => {
    const selected = side.selectedPair
    const cls = (list: CandidateInfo[], which: 'local' | 'remote') => (i: number) => {
      const c = list[i]!
      const vpn = which === 'local' && candidateInterface(side, c)?.vpnLike
      const classes = [selected && sameRef(selected[which], c) ? 'selected' : '', vpn ? 'vpn' : ''].filter(Boolean)
      return classes.join(' ')
    }
    const head = ['type', 'address', 'related', 'interface', 'server', 'priority', 'at']
    return `<h3>${esc(sideTitle(side))}: gathered</h3>${table(head, candidateRows(side, side.candidates.local, true), cls(side.candidates.local, 'local'))}<h3>${esc(sideTitle(side))}: received from the other side</h3>${table(head, candidateRows(side, side.candidates.remote, false), cls(side.candidates.remote, 'remote'))}`
  })
  return `<section id="candidates"><h2>Candidates</h2><p class="muted">The selected pair's candidates are highlighted; times are from each side's session start.</p>${blocks.join('\n')}</section>`
}

export function pairsSection(report: Report): string {
  const legend = `<div class="legend">${(['frozen', 'waiting', 'in-progress', 'succeeded', 'failed'] as const).map((s) => `<span><i style="background:${{ frozen: '#cbd5e0', waiting: '#f6e05e', 'in-progress': '#ed8936', succeeded: '#1f8a4c', failed: '#c53030' }[s]}"></i>${s}</span>`).join('')}<span>\u2605 nominated</span></div>`
  const blocks = present(report).map((side) => {
    const rows: Row[] = side.pairs.map((p) => [
      { html: `<span class="mono">${esc(candidateRefText(p.local))} \u2192 ${esc(candidateRefText(p.remote))}</span>` },
      { html: `<span class="state ${p.unchecked ? 'unchecked' : STATE_CLASS[p.state]}">${esc(pairStateText(p))}</span>${p.nominated ? ' \u2605' : ''}` },
      { num: p.rttMs !== undefined ? ms(p.rttMs) : '-' },
      { num: `${p.responsesReceived}/${p.requestsSent}` },
      p.history.map((h) => `${h.state} ${seconds(h.atMs)}`).join(', ')
    ])
    return `<h3>${esc(sideTitle(side))}</h3>${pairChart(side)}${table(['pair (local \u2192 remote)', 'state', 'rtt', 'answers', 'history'], rows, (i) => (side.selectedPair && sameRef(side.selectedPair.local, side.pairs[i]!.local) && sameRef(side.selectedPair.remote, side.pairs[i]!.remote) ? 'selected' : ''))}`
  })
  return `<section id="pairs"><h2>Candidate pairs</h2>${legend}${blocks.join('\n')}</section>`
}

export function timelineSection(report: Report): string {
  const t = report.timeline
  if (!t.length) return ''
  const t0 = t[0]!.unixMs
  const offsets = present(report).filter((s) => s.clockOffsetMs !== undefined)
  const note = offsets.length ? ` Clock offsets taken off: ${offsets.map((s) => `${roleName(s.role)} ${s.clockOffsetMs! > 0 ? '+' : ''}${s.clockOffsetMs} ms`).join(', ')}.` : ''
  const rows: Row[] = t.map((e) => [{ num: `+${seconds(e.unixMs - t0)}` }, e.at.slice(11, 23), roleName(e.role), eventText(e.event)])
  return `<section id="timeline"><h2>Timeline</h2><p class="muted">Both sides on the writer's clock, starting ${esc(utc(t[0]!.at))}.${esc(note)} Hover a mark for the event.</p>${timelineChart(report)}${table(['t', 'time (UTC)', 'side', 'event'], rows)}</section>`
}

function systemBlock(side: SideReport, s: SystemFacts): string {
  const ifaces = table(
    ['interface', 'state', 'MTU', 'addresses'],
    s.interfaces.map((i) => [i.name, i.up === null ? '?' : i.up ? 'up' : 'down', { num: i.mtu }, i.addresses.map((a) => `${a.address}${a.prefixLength !== null ? `/${a.prefixLength}` : ''}`).join(', ') || '-']),
    (i) => (s.interfaces[i]!.vpnLike ? 'vpn' : '')
  )
  const routes = table(
    ['toward', 'interface', 'gateway', 'source', 'MTU', 'result'],
    s.routes.map((r) => [r.destination, r.interface ?? '-', r.gateway ?? '-', r.source ?? '-', { num: r.mtu ?? '-' }, r.ok ? r.command : (r.error ?? 'failed')]),
    (i) => (s.routes[i]!.vpnLike ? 'vpn' : '')
  )
  const gateways = s.defaultGateways.length ? s.defaultGateways.map((g) => `${g.address}${g.interface ? ` on ${g.interface}` : ''}`).join(', ') : 'none found'
  const vpn = s.vpn.map((v) => `<h3>${esc(v.command)}${v.ok ? '' : ` <span class="flag warn">${esc(v.error ?? 'failed')}</span>`}</h3><pre>${esc(typeof v.output === 'string' ? v.output : JSON.stringify(v.output, null, 2))}</pre>`).join('')
  const errors = s.errors.length ? `<h3>Commands that failed</h3><ul>${s.errors.map((e) => `<li class="mono">${esc(e)}</li>`).join('')}</ul>` : ''
  return `<h3>${esc(sideTitle(side))}: ${esc(s.platform)}, collected ${esc(utc(s.collectedAt))}</h3>${ifaces}<h3>Routes toward the other side</h3>${routes}${kv([['default gateway', gateways]])}${vpn}${errors}`
}

export function systemSection(report: Report): string {
  const sides = present(report).filter((s) => s.system)
  if (!sides.length) return ''
  return `<section id="system"><h2>System facts</h2><p class="muted">Interfaces marked VPN have names WireGuard meshes and other VPNs use; a route into one hides the real path.</p>${sides.map((s) => systemBlock(s, s.system!)).join('\n')}</section>`
}
