import type { SelectedPair, Verdict } from '../session'
import { isRelayed } from '../path'

export interface VerdictInput {
  selectedPair: SelectedPair | null
  /** True once the data channel carried a probe both ways. */
  channelWorks: boolean
  /** Why the session ended without a working channel, when it did. */
  failure?: string
}

/** direct / relayed / failed, with the reason in plain words; the engine and the browser join page both decide with it. */
export function decideVerdict({ selectedPair, channelWorks, failure }: VerdictInput): { verdict: Verdict; reason: string } {
  if (!channelWorks || !selectedPair) {
    return { verdict: 'failed', reason: failure ?? 'no candidate pair carried data between the two sides' }
  }
  const { local, remote } = selectedPair
  if (isRelayed(selectedPair)) {
    const side = local.type === 'relay' && remote.type === 'relay' ? 'both sides' : local.type === 'relay' ? 'this side' : 'the other side'
    return { verdict: 'relayed', reason: `the selected pair goes through a TURN relay (relay candidate on ${side})` }
  }
  return {
    verdict: 'direct',
    reason: `the selected pair is direct: ${local.type} ${local.address}:${local.port} <-> ${remote.type} ${remote.address}:${remote.port} over ${local.protocol}`
  }
}
