// werift forms a pair for a check that arrives from the other side without asking the attempt's
// filter; the patch makes such a check answered but never checked or nominated (issue: relay pair
// nominated in the first, direct-only attempt under load).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RTCPeerConnection } from 'werift'
import { StunResponder } from '../../../src/core/stun/responder'
import { loopbackConfig } from '../../../src/core/werift/loopbackPair'
import { checkList, nominatedPair } from '../../../src/core/werift/peerConnection'
import { installTriggeredCheckFilter } from '../../../src/core/werift/triggeredCheckFilter'

let stun: StunResponder
let stunUrl: string
beforeAll(async () => {
  stun = new StunResponder()
  stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
})
afterAll(() => stun.close())

const gathered = (pc: RTCPeerConnection): Promise<void> =>
  pc.iceGatheringState === 'complete' ? Promise.resolve() : new Promise((resolve) => pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve()))

/** An offerer whose filter refuses every pair, and an answerer that checks the loopback pair. */
async function refusingOfferer(): Promise<{ offerer: RTCPeerConnection; answerer: RTCPeerConnection }> {
  const offerer = new RTCPeerConnection(loopbackConfig(stunUrl, { iceFilterCandidatePair: () => false }))
  offerer.createDataChannel('peerlens')
  const answerer = new RTCPeerConnection(loopbackConfig(stunUrl))
  await offerer.setLocalDescription(await offerer.createOffer())
  await gathered(offerer)
  await answerer.setRemoteDescription(offerer.localDescription!)
  await answerer.setLocalDescription(await answerer.createAnswer())
  await gathered(answerer)
  await offerer.setRemoteDescription(answerer.localDescription!)
  return { offerer, answerer }
}

async function pairsAfter(pc: RTCPeerConnection, ms: number): Promise<number> {
  const until = Date.now() + ms
  while (Date.now() < until && checkList(pc).length === 0) await new Promise((r) => setTimeout(r, 50))
  return checkList(pc).length
}

describe('a check from the other side and the attempt filter', () => {
  it('werift alone pairs an incoming check the filter refused (the behaviour the patch fixes)', async () => {
    const { offerer, answerer } = await refusingOfferer()
    try {
      expect(await pairsAfter(offerer, 5000)).toBeGreaterThan(0)
    } finally {
      await Promise.allSettled([offerer.close(), answerer.close()])
    }
  })

  it('patched: the check is answered, but its pair is never formed, checked or nominated', async () => {
    installTriggeredCheckFilter()
    const { offerer, answerer } = await refusingOfferer()
    try {
      expect(await pairsAfter(offerer, 3000)).toBe(0)
      expect(nominatedPair(offerer)).toBeUndefined()
      // The other side's checks were answered: its own pair toward us succeeded.
      expect(checkList(answerer).some((p) => p.responsesReceived > 0)).toBe(true)
    } finally {
      await Promise.allSettled([offerer.close(), answerer.close()])
    }
  })
})
