import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectLoopbackPair, type LoopbackPair } from '../../../src/core/werift/loopbackPair'
import { StunResponder } from '../../../src/core/stun/responder'
import { PathMeter, type MeterHost } from '../../../src/core/peer/pathMeter'
import { ProbeChannel } from '../../../src/core/peer/probeChannel'
import { answerEchoTrains } from '../../../src/core/measure/echoTrain'
import type { Attempt } from '../../../src/core/peer/attempt'

// The ping phase of the path meter between two werift peers: an echo train when the other side
// announced udp-probes and answers, data-channel pings otherwise (old peers, the browser join page).
describe('PathMeter: how RTT, loss and jitter are measured', () => {
  const stun = new StunResponder()
  const pairs: LoopbackPair[] = []
  let stunUrl: string
  beforeAll(async () => {
    stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
  })
  afterAll(async () => {
    for (const p of pairs) await p.close()
    await stun.close()
  })

  async function measure(o: { announced: boolean; answers: boolean; host: boolean }) {
    const p = await connectLoopbackPair({ stunUrl })
    pairs.push(p)
    new ProbeChannel(p.b)
    if (o.answers) answerEchoTrains(p.b, p.answerer)
    const events: string[] = []
    const host: MeterHost = { now: () => 0, emit: (e) => events.push(e.kind), host: () => o.host, probes: () => 5, udpProbes: () => o.announced, throughputBytes: () => 0 }
    const meter = new PathMeter(host)
    const attempt = { id: 1, policy: 'all', pc: p.offerer, selected: null, readSelected: () => undefined } as unknown as Attempt
    await meter.measure(attempt, new ProbeChannel(p.a), true)
    return { m: meter.paths.get(1)!, offsets: meter.offsets, events }
  }

  it('the other side answers UDP probes: a 400-probe echo train, with the clock offset samples and one-way jitter', async () => {
    const { m, offsets, events } = await measure({ announced: true, answers: true, host: true })
    expect(m).toMatchObject({ path: 'direct', probesSent: 400, probesReceived: 400, lossPercent: 0, lossOneWay: { hostToJoinPercent: 0, joinToHostPercent: 0 } })
    expect(m.probeMethod).toMatch(/^UDP echo train/)
    expect(m.rttSamplesMs).toHaveLength(400)
    expect(m.jitter?.hostToJoinMs).not.toBeNull()
    expect(offsets).toHaveLength(400)
    expect(offsets[0]!.peerWallMs).toBeGreaterThan(0)
    // The live view gets a sample of the round trips, not all 400.
    expect(events.filter((k) => k === 'probe').length).toBeLessThanOrEqual(20)
    expect(events).toContain('path-metrics')
  })

  it('the other side does not announce udp-probes: data-channel pings', async () => {
    const { m } = await measure({ announced: false, answers: true, host: false })
    expect(m).toMatchObject({ probesSent: 5, probesReceived: 5, probeMethod: 'pings on the data channel (the other side cannot answer UDP probes)' })
    expect(m.jitter).toBeUndefined()
  })

  it('announced but no answer to the train: data-channel pings, saying so', async () => {
    const { m } = await measure({ announced: true, answers: false, host: true })
    expect(m).toMatchObject({ probesSent: 5, probesReceived: 5, probeMethod: 'pings on the data channel (the UDP echo train got no answer)' })
  })
})
