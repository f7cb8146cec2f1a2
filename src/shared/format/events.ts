// One line of text per event: the report's timelines, the CLI's progress and the app's timeline
// all say an event the same way. Events come from reports written by any version (and from the
// other side), so every kind beyond the first release's is read loosely: a missing field prints
// as empty, never throws.
import type { SessionEvent } from '../session'
import type { RunEvent } from '../run'
import type { ServerProbe } from '../report'
import { candidateRefText, candidateText, pairText } from './candidates'
import { pairStateText } from '../pairs'
import { bitsPerSecond, hostPort, ms } from './units'
import { natBehaviour, roleName } from './sides'

/** An event as a report or another version may hold it. */
export type LooseEvent = { kind: string; atMs: number; [key: string]: unknown }

/** One line for an event (all kinds, including the chatty ones). */
export function eventText(e: RunEvent | LooseEvent): string {
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
      return `pair ${candidateRefText(ev.pair.local)} -> ${candidateRefText(ev.pair.remote)} ${pairStateText(ev.pair)}${ev.pair.nominated ? ' (nominated)' : ''}${ev.pair.rttMs !== undefined ? `, rtt ${ms(ev.pair.rttMs)}` : ''}`
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
      return laterEventText(e as LooseEvent)
  }
}

/** Event kinds added after v1 began (attempts, NAT exchange, measurements...) and the run's own. */
function laterEventText(e: LooseEvent): string {
  const s = (key: string): string => String(e[key] ?? '')
  const num = (key: string): number | null => (typeof e[key] === 'number' ? (e[key] as number) : null)
  const mbps = (key: string): string => (num(key) === null ? '-' : bitsPerSecond(num(key)! * 1e6))
  switch (e.kind) {
    case 'attempt':
      return `attempt ${s('attempt')} (${s('policy')}) ${s('outcome')}${e.reason ? `: ${s('reason')}` : ''}`
    case 'nat':
      return `NAT of the ${roleName(e.side === 'join' ? 'join' : 'host')}: ${natBehaviour({ classic: s('classic'), mapping: s('mapping'), filtering: s('filtering') })}`
    case 'prediction':
      return `prediction: ${s('verdict')}: ${s('reason')}`
    case 'verdict':
      return `verdict: ${s('verdict')}: ${s('reason')} (measuring the path now)`
    case 'path-metrics':
      return `${s('path')} path: rtt p50 ${ms(num('rttP50Ms'))}, jitter ${ms(num('jitterMs'))}, loss ${s('lossPercent')}%`
    case 'clock-offset':
      return `clock offset to the other side ${ms(num('offsetMs'))} (\u00b1${ms(num('errorMs'))})`
    case 'throughput':
      return `throughput (attempt ${s('attempt')}): ${mbps('hostToJoinMBps')} host to joiner, ${mbps('joinToHostMBps')} joiner to host`
    case 'warning':
      return `warning: ${s('message')}`
    case 'invite':
      return `invite ${s('url')}`
    case 'address': {
      const a = (e.address ?? {}) as { name?: unknown; vpnLike?: unknown }
      return `also reachable as ${s('url')} (${String(a.name ?? '')}${a.vpnLike ? ', VPN' : ''})`
    }
    case 'waiting':
      return s('detail')
    case 'joined':
      return `joined room ${s('room')}`
    case 'blob':
      return `${s('which')} blob ready`
    case 'servers':
      return Array.isArray(e.probes) && e.probes.length ? (e.probes as ServerProbe[]).map(serverProbeText).join('; ') : 'no STUN or TURN server configured'
    default: {
      const { kind, atMs: _atMs, ...rest } = e
      const detail = JSON.stringify(rest)
      return detail === '{}' ? kind : `${kind} ${detail.length > 160 ? `${detail.slice(0, 157)}...` : detail}`
    }
  }
}

/** "server stun:s.example:3478: ok, 12 ms, sees us as 198.51.100.7:5000". */
export function serverProbeText(p: ServerProbe): string {
  const seen = `${p.relay ? `, relay ${hostPort(p.relay.address, p.relay.port)}` : ''}${p.mapped ? `, sees us as ${hostPort(p.mapped.address, p.mapped.port)}` : ''}`
  return `server ${p.url}: ${p.error ? `FAILED ${p.error.reason}` : p.reachable ? `ok, ${p.rttMs} ms${seen}` : 'unreachable'}`
}
