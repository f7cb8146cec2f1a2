// Inline SVG charts (no script, no external resource): pure functions from report data to markup.
import type { PairState, SessionEvent } from '../../../shared/session'
import type { PathMeasurement, Report, SideReport } from '../../../shared/report'
import { bits, candidateRefText, DIRECTIONS, eventText } from '../../../shared/format'
import { esc, n } from './escape'

/** A round step giving about `target` ticks over `range`. */
export function niceStep(range: number, target = 8): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1
  const raw = range / target
  const mag = 10 ** Math.floor(Math.log10(raw))
  const f = raw / mag
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag
}

/**
 * Round tick values from `from` to `to`, about `target` of them and never more than 3 x target.
 * A report comes from an untrusted peer: a non-finite or absurd span gives no ticks instead of a
 * loop that never ends (a step lost in floating-point precision, t + step === t, would).
 */
export function ticks(from: number, to: number, target = 8): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return []
  const step = niceStep(to - from, target)
  if (!(step > 0) || !Number.isFinite(step)) return []
  const first = Math.ceil(from / step) * step
  const out: number[] = []
  for (let i = 0; i < target * 3; i++) {
    const t = first + i * step
    if (!(t <= to + 1e-9) || (i > 0 && t === out[out.length - 1])) break
    out.push(t)
  }
  return out
}

function secondsLabel(msValue: number): string {
  return `${Number((msValue / 1000).toFixed(2))} s`
}

/** A time axis from `fromMs` to `toMs` (labels in seconds on that scale), with grid lines `height` tall. */
function axis(x0: number, width: number, y: number, fromMs: number, toMs: number, height: number): string {
  const span = Math.max(1, toMs - fromMs)
  const parts: string[] = [`<line x1="${n(x0)}" y1="${n(y)}" x2="${n(x0 + width)}" y2="${n(y)}" class="axis"/>`]
  for (const t of ticks(fromMs, toMs)) {
    const x = x0 + ((t - fromMs) / span) * width
    parts.push(`<line x1="${n(x)}" y1="${n(y - height)}" x2="${n(x)}" y2="${n(y)}" class="grid"/>`, `<text x="${n(x)}" y="${n(y + 13)}" class="tick" text-anchor="middle">${esc(secondsLabel(t))}</text>`)
  }
  return parts.join('')
}

export const STATE_CLASS: Record<PairState, string> = { frozen: 's-frozen', waiting: 's-waiting', 'in-progress': 's-progress', succeeded: 's-ok', failed: 's-fail' }

function eventClass(e: SessionEvent | { kind: string }): string {
  const ev = e as SessionEvent
  switch (ev.kind) {
    case 'local-candidate':
    case 'remote-candidate':
      return 'e-cand'
    case 'pair':
      return ev.pair.state === 'succeeded' ? 'e-ok' : ev.pair.state === 'failed' ? 'e-fail' : 'e-pair'
    case 'selected-pair':
    case 'channel-open':
      return 'e-key'
    case 'error':
      return 'e-fail'
    case 'signal':
    case 'peer-hello':
      return 'e-signal'
    default:
      return 'e-other'
  }
}

/** The full-width charts' frame: 960 wide, labels in the first `left`, the plot after them. */
function wideFrame(left: number): { W: number; left: number; plot: number } {
  const W = 960
  return { W, left, plot: W - left - 20 }
}

/** Both sides' events on one time axis (the writer's clock), one lane per side, phases marked. */
export function timelineChart(report: Report): string {
  const t = report.timeline
  if (!t.length) return ''
  const { W, left, plot } = wideFrame(70)
  const [lane, top] = [46, 24]
  const roles = ['host', 'join'] as const
  const height = top + lane * roles.length + 34
  const t0 = t[0]!.unixMs
  const span = Math.max(1, t[t.length - 1]!.unixMs - t0)
  const x = (unixMs: number): number => left + ((unixMs - t0) / span) * plot
  const parts = [axis(left, plot, top + lane * roles.length, 0, span, lane * roles.length)]
  roles.forEach((role, i) => {
    const y = top + lane * i + lane / 2
    parts.push(`<text x="${left - 8}" y="${n(y + 4)}" class="lane" text-anchor="end">${role === 'host' ? 'host' : 'joiner'}</text>`, `<line x1="${left}" y1="${n(y)}" x2="${left + plot}" y2="${n(y)}" class="laneline"/>`)
    let lastLabel = -Infinity
    for (const entry of t.filter((e) => e.role === role)) {
      const ex = x(entry.unixMs)
      const e = entry.event
      if (e.kind === 'phase') {
        parts.push(`<line x1="${n(ex)}" y1="${n(y - lane / 2 + 4)}" x2="${n(ex)}" y2="${n(y + lane / 2 - 4)}" class="phase"><title>${esc(`${secondsLabel(entry.unixMs - t0)} ${eventText(e)}`)}</title></line>`)
        if (ex - lastLabel > 64) {
          parts.push(`<text x="${n(ex + 2)}" y="${n(y - lane / 2 + 12)}" class="phaselabel">${esc((e as { phase: string }).phase)}</text>`)
          lastLabel = ex
        }
        continue
      }
      const cls = eventClass(e)
      const r = cls === 'e-key' ? 5 : 3.5
      parts.push(`<circle cx="${n(ex)}" cy="${n(y + (cls === 'e-signal' ? 10 : 0))}" r="${r}" class="${cls}"><title>${esc(`${secondsLabel(entry.unixMs - t0)} ${eventText(e)}`)}</title></circle>`)
    }
  })
  const legend: Array<[string, string]> = [['e-signal', 'signaling'], ['e-cand', 'candidate'], ['e-pair', 'pair checking'], ['e-ok', 'pair succeeded'], ['e-fail', 'failed / error'], ['e-key', 'selected / channel open']]
  let lx = left
  for (const [cls, label] of legend) {
    parts.push(`<circle cx="${lx + 4}" cy="${height - 6}" r="4" class="${cls}"/><text x="${lx + 12}" y="${height - 2}" class="tick">${esc(label)}</text>`)
    lx += 24 + label.length * 6.2
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="timeline of both sides">${parts.join('')}</svg>`
}

/** Each candidate pair of one side as a row, coloured by state over time. */
export function pairChart(side: SideReport): string {
  const pairs = side.pairs.filter((p) => p.history.length)
  if (!pairs.length) return ''
  const { W, left, plot } = wideFrame(380)
  const [row, top] = [20, 6]
  // Loops, not Math.max(...spread): a hostile half with 100,000 events would overflow the stack.
  let end = side.connectedAfterMs ?? 0
  for (const e of side.events) end = Math.max(end, e.atMs)
  for (const p of pairs) for (const h of p.history) end = Math.max(end, h.atMs)
  let start = Infinity
  for (const p of pairs) start = Math.min(start, p.history[0]!.atMs)
  const span = Math.max(1, end - start)
  const x = (atMs: number): number => left + ((atMs - start) / span) * plot
  const height = top + row * pairs.length + 22
  const parts = [axis(left, plot, top + row * pairs.length, start, start + span, row * pairs.length)]
  pairs.forEach((p, i) => {
    const y = top + row * i
    const label = `${p.nominated ? '\u2605 ' : ''}${candidateRefText(p.local)} \u2192 ${candidateRefText(p.remote)}`
    parts.push(`<text x="${left - 8}" y="${n(y + 14)}" class="pairlabel" text-anchor="end">${esc(label)}</text>`)
    p.history.forEach((h, j) => {
      const from = x(h.atMs)
      const to = x(p.history[j + 1]?.atMs ?? end)
      parts.push(`<rect x="${n(from)}" y="${n(y + 4)}" width="${n(Math.max(2, to - from))}" height="${row - 8}" class="${STATE_CLASS[h.state]}"><title>${esc(`${h.state} from ${secondsLabel(h.atMs)}`)}</title></rect>`)
    })
  })
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="candidate pair states over time">${parts.join('')}</svg>`
}

/** Every probe's round trip as a bar, lost probes as red marks, the median as a dashed line. */
export function rttChart(p: PathMeasurement): string {
  const samples = p.rttSamplesMs ?? []
  if (!samples.length) return ''
  const W = 520
  const H = 150
  const left = 44
  const bottom = 20
  const plotW = W - left - 8
  const plotH = H - bottom - 10
  // Finite and capped: an RTT of 1.7e308 from a hostile peer must not make the scale infinite.
  const max = Math.min(Number.MAX_VALUE, Math.max(1, ...samples.map((s) => (s !== null && Number.isFinite(s) ? s : 0))) * 1.1)
  const y = (v: number): number => 10 + plotH - (Math.min(v, max) / max) * plotH
  const bw = plotW / samples.length
  const parts: string[] = []
  for (const v of ticks(0, max, 4)) parts.push(`<line x1="${left}" y1="${n(y(v))}" x2="${W - 8}" y2="${n(y(v))}" class="grid"/><text x="${left - 4}" y="${n(y(v) + 4)}" class="tick" text-anchor="end">${Number(v.toFixed(1))}</text>`)
  samples.forEach((s, i) => {
    const bx = left + i * bw + bw * 0.15
    if (s === null) parts.push(`<text x="${n(bx + bw * 0.35)}" y="${n(y(0) - 3)}" class="lost" text-anchor="middle">\u00d7<title>probe ${i + 1} lost</title></text>`)
    else parts.push(`<rect x="${n(bx)}" y="${n(y(s))}" width="${n(bw * 0.7)}" height="${n(y(0) - y(s))}" class="bar"><title>probe ${i + 1}: ${esc(s)} ms</title></rect>`)
  })
  if (p.rtt) parts.push(`<line x1="${left}" y1="${n(y(p.rtt.p50Ms))}" x2="${W - 8}" y2="${n(y(p.rtt.p50Ms))}" class="median"/>`)
  const caption = `ms per probe, in send order${p.rtt ? `; dashed: median ${p.rtt.p50Ms} ms` : ''}${samples.includes(null) ? '; \u00d7 lost' : ''}`
  parts.push(`<line x1="${left}" y1="${n(y(0))}" x2="${W - 8}" y2="${n(y(0))}" class="axis"/><text x="${left}" y="${H - 4}" class="tick">${esc(caption)}</text>`)
  return `<svg class="chart small" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="round trip time per probe on the ${esc(p.path)} path">${parts.join('')}</svg>`
}

/** Throughput each way on each measured path, as horizontal bars on one scale. */
export function throughputChart(paths: PathMeasurement[]): string {
  const rows = paths.flatMap((p) =>
    DIRECTIONS.flatMap((d) => [
      ...(p.throughput && !p.throughput.off ? [{ label: `${p.path}, ${d.label}`, value: p.throughput[`${d.key}Bps`] }] : []),
      ...(p.dataChannel && !p.dataChannel.off ? [{ label: `${p.path} data channel, ${d.label}`, value: p.dataChannel[`${d.key}Bps`] }] : []),
      ...(p.udp && !p.udp.off && p.udp[d.key] ? [{ label: `${p.path} UDP <1 % loss, ${d.label}`, value: p.udp[d.key]!.maxRateBps }] : [])
    ])
  )
  if (!rows.length) return ''
  const W = 520
  const left = 210
  const row = 24
  const H = rows.length * row + 8
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0))
  const parts = rows.map((r, i) => {
    const y = 4 + i * row
    const w = r.value ? ((W - left - 90) * r.value) / max : 0
    return `<text x="${left - 8}" y="${y + 15}" class="tick" text-anchor="end">${esc(r.label)}</text><rect x="${left}" y="${y + 4}" width="${n(Math.max(w, 1))}" height="${row - 8}" class="tbar"/><text x="${n(left + w + 6)}" y="${y + 15}" class="tick">${esc(bits(r.value))}</text>`
  })
  return `<svg class="chart small" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="throughput">${parts.join('')}</svg>`
}
