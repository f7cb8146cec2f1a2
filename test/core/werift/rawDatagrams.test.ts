import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectLoopbackPair, type LoopbackPair } from '../../../src/core/werift/loopbackPair'
import { rawDatagrams } from '../../../src/core/werift/rawDatagrams'
import { StunResponder } from '../../../src/core/stun/responder'

describe('raw datagrams on the selected pair', () => {
  const stun = new StunResponder()
  let p: LoopbackPair
  beforeAll(async () => {
    const stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
    p = await connectLoopbackPair({ stunUrl })
  })
  afterAll(async () => {
    await p?.close()
    await stun.close()
  })

  it('a datagram with a first byte outside DTLS and RTP reaches the other side, and the data channel still works', async () => {
    const a = rawDatagrams(p.offerer)!
    const b = rawDatagrams(p.answerer)!
    expect(a).toBeDefined()
    expect(b).toBeDefined()
    const got: Buffer[] = []
    const stop = b.subscribe((d) => {
      if (d[0] === 0xf5) got.push(Buffer.from(d))
    })
    for (let i = 0; i < 50; i++) await a.send(Buffer.from([0xf5, i, 1, 2, 3]))
    const deadline = Date.now() + 2000
    while (got.length < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    stop()
    expect(got.length).toBe(50)
    expect([...got[7]!]).toEqual([0xf5, 7, 1, 2, 3])
    const echoed = new Promise<string>((r) => p.b.onMessage.once((m) => r(String(m))))
    p.a.send('still here')
    expect(await echoed).toBe('still here')
  })
})
