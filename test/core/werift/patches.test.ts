import { describe, expect, it } from 'vitest'
import { sctpThroughputPatchInstalled } from '../../../src/core/werift/sctpThroughput'

describe('werift patches', () => {
  it('are not installed by importing the session, only by installWeriftPatches(), once', async () => {
    await import('../../../src/core/peer/orchestrator')
    await import('../../../src/core/run/runSession')
    expect(sctpThroughputPatchInstalled()).toBe(false)
    const { installWeriftPatches } = await import('../../../src/core/werift/patches')
    installWeriftPatches()
    installWeriftPatches()
    expect(sctpThroughputPatchInstalled()).toBe(true)
  })
})
