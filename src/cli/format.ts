import type { CandidateInfo, SelectedPair } from '../shared/session'
import type { RunEvent } from '../shared/run'

function candidate(c: CandidateInfo): string {
  const related = c.relatedAddress ? ` (from ${c.relatedAddress.address}:${c.relatedAddress.port})` : ''
  const server = c.server ? ` via ${c.server}` : ''
  return `${c.type.padEnd(5)} ${c.protocol} ${c.address}:${c.port}${related}${server}`
}

export function pairText(p: SelectedPair): string {
  return `${p.local.type} ${p.local.address}:${p.local.port} <-> ${p.remote.type} ${p.remote.address}:${p.remote.port} (${p.local.protocol})`
}

/** One human line for a session event, or undefined for events too chatty to print. */
export function eventLine(e: RunEvent): string | undefined {
  const t = `[${(e.atMs / 1000).toFixed(3).padStart(7)}s]`
  switch (e.kind) {
    case 'phase':
      return `${t} ${e.phase}${e.detail ? `: ${e.detail}` : ''}`
    case 'local-candidate':
      return `${t} local  candidate ${candidate(e.candidate)}`
    case 'remote-candidate':
      return `${t} remote candidate ${candidate(e.candidate)}`
    case 'ice-state':
      return `${t} ICE ${e.state}`
    case 'pair':
      return e.pair.state === 'succeeded' || e.pair.state === 'failed'
        ? `${t} pair ${e.pair.local.address}:${e.pair.local.port} -> ${e.pair.remote.address}:${e.pair.remote.port} ${e.pair.state}${e.pair.nominated ? ' (nominated)' : ''}`
        : undefined
    case 'selected-pair':
      return `${t} selected ${pairText(e.pair)}`
    case 'channel-open':
      return `${t} data channel open`
    case 'peer-hello':
      return `${t} other side: ${e.name}, peerlens ${e.version}`
    case 'error':
      return `${t} error: ${e.message}`
    case 'address':
      return `  also reachable as ${e.url} (${e.address.name}${e.address.vpnLike ? ', VPN' : ''})`
    case 'waiting':
      return `${e.detail}...`
    case 'joined':
      return `joined room ${e.room}`
    case 'servers':
      return e.probes
        .map((p) => `server ${p.url}: ${p.error ? `FAILED ${p.error.reason}` : p.reachable ? `ok, ${p.rttMs} ms${p.relay ? `, relay ${p.relay.address}:${p.relay.port}` : ''}${p.mapped ? `, sees us as ${p.mapped.address}:${p.mapped.port}` : ''}` : 'unreachable'}`)
        .join('\n')
    case 'nat':
      return `${t} NAT (${e.side}): ${e.classic}, mapping ${e.mapping}, filtering ${e.filtering}`
    case 'prediction':
      return `${t} prediction: ${e.verdict}: ${e.reason}`
    case 'attempt':
      return e.attempt === 1 && e.outcome === 'started' ? undefined : `${t} attempt ${e.attempt} (${e.policy}) ${e.outcome}${e.reason ? `: ${e.reason}` : ''}`
    case 'path-metrics':
      return `${t} ${e.path} path: rtt p50 ${e.rttP50Ms ?? '-'} ms, jitter ${e.jitterMs ?? '-'} ms, loss ${e.lossPercent}%`
    case 'throughput':
      return `${t} throughput (attempt ${e.attempt}): ${e.hostToJoinMBps ?? '-'} MB/s host to joiner, ${e.joinToHostMBps ?? '-'} MB/s joiner to host`
    case 'warning':
      return `${t} warning: ${e.message}`
    default:
      return undefined
  }
}
