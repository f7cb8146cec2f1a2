// Plain-text pieces every rendering shares (text, Markdown, HTML): pure, no markup.
import type { CandidateInfo, CandidateRef, Endpoint, SelectedPair, SessionEvent } from '../../shared/session'
import type { NatResult } from '../../shared/nat'
import type { Side, SideReport } from '../../shared/report'

export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

export function endpointText(e: Endpoint | null | undefined): string {
  return e ? hostPort(e.address, e.port) : '-'
}

export function candidateRefText(c: CandidateRef): string {
  return `${c.type} ${hostPort(c.address, c.port)}`
}

export function pairText(p: SelectedPair | null | undefined): string {
  return p ? `${candidateRefText(p.local)} <-> ${candidateRefText(p.remote)} (${p.local.protocol})` : 'none'
}

export function candidateText(c: CandidateInfo): string {
  const related = c.relatedAddress ? ` from ${endpointText(c.relatedAddress)}` : ''
  return `${c.type} ${c.protocol} ${hostPort(c.address, c.port)}${related}`
}

export function ms(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  return `${Number(value.toFixed(digits))} ms`
}

export function seconds(valueMs: number | null | undefined): string {
  if (valueMs === null || valueMs === undefined || !Number.isFinite(valueMs)) return '-'
  return `${Number((valueMs / 1000).toFixed(2))} s`
}

export function rate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return '-'
  if (bytesPerSecond >= 1e6) return `${Number((bytesPerSecond / 1e6).toFixed(1))} MB/s`
  if (bytesPerSecond >= 1e3) return `${Number((bytesPerSecond / 1e3).toFixed(1))} kB/s`
  return `${Math.round(bytesPerSecond)} B/s`
}

/** "2026-11-25 09:00:06 UTC": reports travel between time zones. */
export function utc(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

export function roleName(role: 'host' | 'join'): string {
  return role === 'host' ? 'host' : 'joiner'
}

export function sideTitle(side: Side): string {
  return side.missing || side.name === side.role || !side.name ? roleName(side.role) : `${roleName(side.role)} (${side.name})`
}

const SHORT: Record<string, string> = {
  'endpoint-independent': 'endpoint-independent',
  'address-dependent': 'address-dependent',
  'address-and-port-dependent': 'address-and-port-dependent'
}

export function natText(nat: NatResult | null | undefined): string {
  if (nat === undefined) return 'not measured'
  if (nat === null) return 'no answer from the STUN server'
  return `${nat.classic} (mapping ${SHORT[nat.mapping] ?? nat.mapping}, filtering ${SHORT[nat.filtering] ?? nat.filtering})`
}

export function osText(side: SideReport): string {
  return `${side.os.platform} ${side.os.release} ${side.os.arch}`.trim()
}

/** "2 host, 1 srflx, 1 relay". */
export function candidateCounts(list: CandidateInfo[]): string {
  const counts = new Map<string, number>()
  for (const c of list) counts.set(c.type, (counts.get(c.type) ?? 0) + 1)
  return ['host', 'srflx', 'prflx', 'relay'].filter((t) => counts.has(t)).map((t) => `${counts.get(t)} ${t}`).join(', ') || 'none'
}

/** One line for a session event (all kinds, including the chatty ones). */
export function eventText(e: SessionEvent | { kind: string; atMs: number; [key: string]: unknown }): string {
  const ev = e as SessionEvent
  switch (ev.kind) {
    case 'phase':
      return `phase ${ev.phase}${ev.detail ? `: ${ev.detail}` : ''}`
    case 'ice-state':
      return `ICE ${ev.state}`
    case 'gathering':
      return `ICE gathering ${ev.state}`
    case 'local-candidate':
      return `local candidate ${candidateText(ev.candidate)}`
    case 'remote-candidate':
      return `remote candidate ${candidateText(ev.candidate)}`
    case 'pair':
      return `pair ${candidateRefText(ev.pair.local)} -> ${candidateRefText(ev.pair.remote)} ${ev.pair.state}${ev.pair.nominated ? ' (nominated)' : ''}${ev.pair.rttMs !== undefined ? `, rtt ${ms(ev.pair.rttMs)}` : ''}`
    case 'selected-pair':
      return `selected ${pairText(ev.pair)}`
    case 'channel-open':
      return 'data channel open'
    case 'probe':
      return `probe answered, rtt ${ms(ev.rttMs)}`
    case 'signal':
      return `signaling ${ev.direction === 'in' ? 'received' : 'sent'} ${ev.type}`
    case 'peer-hello':
      return `other side: ${ev.name}, peerlens ${ev.version}`
    case 'error':
      return `error: ${ev.message}`
    default:
      return otherEventText(e as { kind: string; atMs: number; [key: string]: unknown })
  }
}

/** Event kinds added after v1 began (attempts, NAT exchange, measurements...), read loosely. */
function otherEventText(e: { kind: string; atMs: number; [key: string]: unknown }): string {
  const s = (key: string): string => String(e[key] ?? '')
  const num = (key: string): number | null => (typeof e[key] === 'number' ? (e[key] as number) : null)
  switch (e.kind) {
    case 'attempt':
      return `attempt ${s('attempt')} (${s('policy')}) ${s('outcome')}${e.reason ? `: ${s('reason')}` : ''}`
    case 'nat':
      return `NAT of the ${e.side === 'join' ? 'joiner' : 'host'}: ${s('classic')} (mapping ${s('mapping')}, filtering ${s('filtering')})`
    case 'prediction':
      return `prediction: ${s('verdict')}: ${s('reason')}`
    case 'path-metrics':
      return `${s('path')} path: rtt p50 ${ms(num('rttP50Ms'))}, jitter ${ms(num('jitterMs'))}, loss ${s('lossPercent')}%`
    case 'clock-offset':
      return `clock offset to the other side ${ms(num('offsetMs'))} (\u00b1${ms(num('errorMs'))})`
    case 'warning':
      return `warning: ${s('message')}`
    default: {
      const { kind, atMs: _atMs, ...rest } = e
      const detail = JSON.stringify(rest)
      return detail === '{}' ? kind : `${kind} ${detail.length > 160 ? `${detail.slice(0, 157)}...` : detail}`
    }
  }
}
