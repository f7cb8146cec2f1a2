// Candidate pairs as people should read them: a pair ICE never checked is not a failed pair.
import type { PairInfo } from './session'

export type Unchecked = NonNullable<PairInfo['unchecked']>

/**
 * Why a pair was never checked, or undefined when it was (or may still be). A stack stops checking
 * once a pair is nominated and marks the rest "failed" without sending a request on them.
 */
export function uncheckedWhy(pair: Pick<PairInfo, 'requestsSent' | 'state'>, attempt: { connected: boolean; ended: boolean }): Unchecked | undefined {
  if (pair.requestsSent > 0 || pair.state === 'succeeded' || pair.state === 'in-progress') return undefined
  if (attempt.connected) return 'another-pair-won'
  return attempt.ended ? 'attempt-ended' : undefined
}

const UNCHECKED_WORDS: Record<Unchecked, string> = {
  'another-pair-won': 'another pair won first',
  'attempt-ended': 'the attempt ended first'
}

/** The state as shown: "failed", or "not checked (another pair won first)". */
export function pairStateText(pair: Pick<PairInfo, 'state' | 'unchecked'>): string {
  return pair.unchecked ? `not checked (${UNCHECKED_WORDS[pair.unchecked]})` : pair.state
}

type Counts = Pick<PairInfo, 'requestsSent' | 'responsesReceived'>

/**
 * The other side's record of the same pair: its local is our remote and its remote our local (the
 * types may differ, our srflx being its prflx, so only transport, address and port are compared).
 */
export function mirroredPair<P extends Pick<PairInfo, 'local' | 'remote'>>(pair: Pick<PairInfo, 'local' | 'remote'>, theirs: readonly P[]): P | undefined {
  const same = (a: PairInfo['local'], b: PairInfo['local']): boolean => a.address === b.address && a.port === b.port && a.protocol === b.protocol
  return theirs.find((p) => same(p.local, pair.remote) && same(p.remote, pair.local))
}

/**
 * Why a checked pair failed, from the checks each way (this side's, and the other side's for the
 * mirrored pair when its half is known); undefined when the pair did not fail or was never checked.
 * Answered one way and not the other is what asymmetric (address- or port-dependent) filtering looks like.
 */
export function pairFailureWhy(pair: Pick<PairInfo, 'state' | 'unchecked'> & Counts, theirs?: Counts): string | undefined {
  if (pair.state !== 'failed' || pair.unchecked) return undefined
  const mine = `${pair.requestsSent} checks sent, ${pair.responsesReceived} answered`
  if (pair.requestsSent === 0) return 'failed before any check was sent'
  if (pair.responsesReceived > 0) return `${mine}: answered, then lost (the path stopped answering, or a better pair took over)`
  if (!theirs) return `${mine}: no answer from the other side's address (filtered on the way, or not reachable from here)`
  if (theirs.requestsSent === 0) return `${mine}; the other side sent none on this pair: nothing was tried the other way`
  if (theirs.responsesReceived > 0) {
    return `${mine}, yet the other side's checks were answered: packets get through one way only (asymmetric filtering: this side's NAT or firewall lets in only what it sent to first)`
  }
  return `${mine}, and none of the other side's ${theirs.requestsSent} were answered either: nothing gets through either way (a firewall or NAT drops UDP between these addresses)`
}
