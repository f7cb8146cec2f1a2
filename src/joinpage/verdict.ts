import type { SelectedPair, Verdict } from '../shared/session'

/**
 * direct / relayed / failed with the reason, in the same words as src/core/diagnosis/verdict.ts
 * (the host compares both sides' verdicts; test/joinpage/verdict.test.ts keeps them in step).
 */
export function decideVerdict(selectedPair: SelectedPair | null, channelWorks: boolean, failure?: string): { verdict: Verdict; reason: string } {
  if (!channelWorks || !selectedPair) {
    return { verdict: 'failed', reason: failure ?? 'no candidate pair carried data between the two sides' }
  }
  const { local, remote } = selectedPair
  if (local.type === 'relay' || remote.type === 'relay') {
    const side = local.type === 'relay' && remote.type === 'relay' ? 'both sides' : local.type === 'relay' ? 'this side' : 'the other side'
    return { verdict: 'relayed', reason: `the selected pair goes through a TURN relay (relay candidate on ${side})` }
  }
  return {
    verdict: 'direct',
    reason: `the selected pair is direct: ${local.type} ${local.address}:${local.port} <-> ${remote.type} ${remote.address}:${remote.port} over ${local.protocol}`
  }
}
