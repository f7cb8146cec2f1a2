import type { SelectedPair, Verdict } from '../session'
import { isRelayed } from '../path'
import { candidateRefText } from '../format/candidates'

/** How this side reached its TURN server: UDP, TCP, or TLS over TCP. */
export type RelayTransport = 'udp' | 'tcp' | 'tls'

export interface VerdictInput {
  selectedPair: SelectedPair | null
  /** True once the data channel carried a probe both ways. */
  channelWorks: boolean
  /** Why the session ended without a working channel, when it did. */
  failure?: string
  /**
   * The VPN-like interface the selected pair crosses (its local candidate's interface, or the
   * route toward the remote address), when it does: the path then runs inside a tunnel.
   */
  tunnel?: string | null
  /** How the relay was reached, when the path is relayed and this side knows. */
  relayTransport?: RelayTransport | null
}

/** How a direct reason starts (tunneledResult finds it there). */
const DIRECT_REASON = 'the two sides reach each other without a relay, over'

const TRANSPORT_WORDS: Record<RelayTransport, string> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS' }

/**
 * direct / tunneled / relayed / failed, with the reason in plain words; the engine and the browser
 * join page both decide with it. A pair inside a VPN tunnel is never called direct: the tunnel is
 * what the user is investigating, not an internet path.
 */
export function decideVerdict({ selectedPair, channelWorks, failure, tunnel, relayTransport }: VerdictInput): { verdict: Verdict; reason: string } {
  if (!channelWorks || !selectedPair) {
    return { verdict: 'failed', reason: failure ?? 'no candidate pair carried data between the two sides' }
  }
  const { local, remote } = selectedPair
  if (isRelayed(selectedPair)) {
    const side = local.type === 'relay' && remote.type === 'relay' ? 'both sides' : local.type === 'relay' ? 'this side' : 'the other side'
    const how = local.type === 'relay' && relayTransport ? `, TURN reached over ${TRANSPORT_WORDS[relayTransport]}` : ''
    return { verdict: 'relayed', reason: `the selected pair goes through a TURN relay (relay candidate on ${side}${how})` }
  }
  // Renderings put the verdict word before the reason ("direct: ..."): the reason does not say it again.
  const pair = `${candidateRefText(local)} <-> ${candidateRefText(remote)} (${local.protocol})`
  if (tunnel) {
    return { verdict: 'tunneled', reason: `through the VPN tunnel ${tunnel}, not a direct internet path, over ${pair}` }
  }
  return { verdict: 'direct', reason: `${DIRECT_REASON} ${pair}` }
}

/** A verdict re-decided once the route toward the remote address is known to enter a tunnel. */
export function tunneledResult<R extends { verdict: Verdict; reason: string; selectedPair: SelectedPair | null; attempts?: Array<{ used: boolean; verdict: Verdict | null }> }>(
  result: R,
  tunnel: string | null | undefined
): R {
  if (result.verdict !== 'direct' || !tunnel || !result.selectedPair) return result
  const decided = decideVerdict({ selectedPair: result.selectedPair, channelWorks: true, tunnel })
  // Keep whatever the reason said after the pair (a prediction note).
  const rest = result.reason.startsWith(DIRECT_REASON) ? result.reason.replace(/^.*?(?=\. |$)/, '') : ''
  const out = { ...result, verdict: decided.verdict, reason: `${decided.reason}${rest}` }
  // The attempt whose path was used says the same.
  if (result.attempts) out.attempts = result.attempts.map((a) => (a.used && a.verdict === 'direct' ? { ...a, verdict: decided.verdict } : a))
  return out
}
