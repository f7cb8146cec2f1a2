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
