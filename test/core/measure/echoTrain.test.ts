import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectLoopbackPair, type LoopbackPair } from '../../../src/core/werift/loopbackPair'
import { rawDatagrams, type RawDatagrams } from '../../../src/core/werift/rawDatagrams'
import { StunResponder } from '../../../src/core/stun/responder'
import { attachEchoResponder, ECHO_LIMITS, EchoResponder, runEchoTrain, type ControlChannel } from '../../../src/core/measure/echoTrain'
import { echoStats } from '../../../src/shared/measure/echoStats'
import { decodeEchoControl, encodeEchoControl, tokenHex } from '../../../src/shared/measure/echoControl'
import { decodeUdpProbe, encodeUdpProbe, UdpProbeKind } from '../../../src/shared/protocol/udpProbe'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('UDP echo train between two werift peers on loopback', () => {
  const stun = new StunResponder()
  let p: LoopbackPair
  let rawA: RawDatagrams
  let rawB: RawDatagrams
  let stunUrl: string
  beforeAll(async () => {
    stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
    p = await connectLoopbackPair({ stunUrl })
    rawA = rawDatagrams(p.offerer)!
    rawB = rawDatagrams(p.answerer)!
    attachEchoResponder(p.a, () => rawA)
    attachEchoResponder(p.b, () => rawB)
  })
  afterAll(async () => {
    await p?.close()
    await stun.close()
  })

  it('every request comes back, the responder counts them all, and both sides can run a train at once', async () => {
    const plan = { count: 200, spacingMs: 1, bytes: 64 }
    const [ab, ba] = await Promise.all([runEchoTrain(p.a, rawA, plan), runEchoTrain(p.b, rawB, plan)])
    for (const r of [ab, ba]) {
      expect(r).toBeDefined()
      expect(r!.samples).toHaveLength(200)
      expect(r!.peerReceived).toBe(200)
      const s = echoStats(r!.samples, r!.peerReceived)
      expect(s).toMatchObject({ sent: 200, received: 200, lossPercent: 0, outLossPercent: 0, backLossPercent: 0 })
      expect(s.rtt!.p50Ms).toBeGreaterThanOrEqual(0)
      expect(s.jitterOutMs).not.toBeNull()
      expect(s.jitterBackMs).not.toBeNull()
      // Sequence numbers in order, each reply echoing the responder's clock between send and receipt.
      for (const x of r!.samples) expect(x.echoedMs!).toBeGreaterThan(x.sentMs - 1)
    }
  })

  it('returns undefined when the other side does not agree to a train (no responder on that channel)', async () => {
    const q = await connectLoopbackPair({ stunUrl })
    try {
      expect(await runEchoTrain(q.a, rawDatagrams(q.offerer)!, { count: 10, spacingMs: 1, bytes: 64 })).toBeUndefined()
    } finally {
      await q.close()
    }
  })
})

describe('the echo responder against an untrusted initiator', () => {
  const stun = new StunResponder()
  let p: LoopbackPair
  let rawA: RawDatagrams
  let replies: number[]
  let stunPort: number
  beforeAll(async () => {
    stunPort = await stun.listen(0, '127.0.0.1')
    p = await connectLoopbackPair({ stunUrl: `stun:127.0.0.1:${stunPort}` })
    rawA = rawDatagrams(p.offerer)!
    rawA.subscribe((d) => {
      const probe = decodeUdpProbe(d)
      if (probe?.kind === UdpProbeKind.echoReply) replies.push(probe.seq)
    })
  })
  afterAll(async () => {
    await p?.close()
    await stun.close()
  })

  const token = (n: number): Uint8Array => Uint8Array.from([n, 2, 3, 4, 5, 6, 7, 8])
  const control = (dc: ControlChannel, t: string): Promise<Array<ReturnType<typeof decodeEchoControl>>> => {
    const got: Array<ReturnType<typeof decodeEchoControl>> = []
    const sub = dc.onMessage.subscribe((d) => {
      const m = decodeEchoControl(d)
      if (m?.t === t) got.push(m)
    })
    return sleep(300).then(() => (sub.unSubscribe(), got))
  }
  const requests = async (tok: Uint8Array, n: number): Promise<void> => {
    for (let seq = 0; seq < n; seq++) await rawA.send(Buffer.from(encodeUdpProbe({ kind: UdpProbeKind.echoRequest, token: tok, seq, sentMs: seq }, 40)))
    await sleep(300)
  }

  it('never echoes a token nobody opened, nor anything after the count or rate bound; refuses a fifth open token', async () => {
    replies = []
    const responder = new EchoResponder(p.b, () => rawDatagrams(p.answerer), { ...ECHO_LIMITS, burst: 8, perSecond: 0 })
    // Nothing open: it does not even listen.
    await requests(token(1), 10)
    expect(replies).toEqual([])
    // Opened for 5 requests: another token's requests are ignored; 5 echoes out of 20, and the count says 5.
    const oks = control(p.a, 'udp-echo-ok')
    p.a.send(encodeEchoControl({ t: 'udp-echo', token: tokenHex(token(2)), count: 5 }))
    expect(await oks).toHaveLength(1)
    await requests(token(1), 10)
    expect(replies).toEqual([])
    expect(responder.ignored).toBe(10)
    await requests(token(2), 20)
    expect(replies).toEqual([0, 1, 2, 3, 4])
    const counts = control(p.a, 'udp-echo-count')
    p.a.send(encodeEchoControl({ t: 'udp-echo-end', token: tokenHex(token(2)) }))
    expect(await counts).toEqual([{ t: 'udp-echo-count', token: tokenHex(token(2)), received: 5 }])
    // Closed: no more echoes for that token.
    replies = []
    await requests(token(2), 3)
    expect(replies).toEqual([])

    // Rate: a burst of 8, then none (perSecond 0 in this test).
    p.a.send(encodeEchoControl({ t: 'udp-echo', token: tokenHex(token(3)), count: 100 }))
    await sleep(200)
    await requests(token(3), 30)
    expect(replies).toHaveLength(8)

    // Open tokens: 4 at most (token 3 is still open).
    const more = control(p.a, 'udp-echo-ok')
    for (const n of [4, 5, 6, 7]) p.a.send(encodeEchoControl({ t: 'udp-echo', token: tokenHex(token(n)), count: 10 }))
    expect((await more).map((m) => m!.token)).toEqual([4, 5, 6].map((n) => tokenHex(token(n))))
    expect(responder.openTokens).toBe(4)
  })

  it('forgets a token its initiator never ended once its lifetime is over', async () => {
    // A pair of its own: the first test's responder still listens on the other channel.
    const q = await connectLoopbackPair({ stunUrl: `stun:127.0.0.1:${stunPort}` })
    try {
      const raw = rawDatagrams(q.offerer)!
      let echoes = 0
      raw.subscribe((d) => void (decodeUdpProbe(d)?.kind === UdpProbeKind.echoReply && echoes++))
      const responder = new EchoResponder(q.b, () => rawDatagrams(q.answerer), { ...ECHO_LIMITS, lifetimeMs: 100 })
      q.a.send(encodeEchoControl({ t: 'udp-echo', token: tokenHex(token(9)), count: 10 }))
      await sleep(50)
      expect(responder.openTokens).toBe(1)
      await raw.send(Buffer.from(encodeUdpProbe({ kind: UdpProbeKind.echoRequest, token: token(9), seq: 0, sentMs: 0 }, 40)))
      await sleep(300)
      expect(echoes).toBe(1)
      expect(responder.openTokens).toBe(0)
      await raw.send(Buffer.from(encodeUdpProbe({ kind: UdpProbeKind.echoRequest, token: token(9), seq: 1, sentMs: 1 }, 40)))
      await sleep(200)
      expect(echoes).toBe(1)
    } finally {
      await q.close()
    }
  })
})
