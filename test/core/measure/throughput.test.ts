import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { attachThroughput, defaultMessageSize, HEADER_BYTES, isThroughputFrame, MAGIC, measureThroughput, ThroughputError, type ThroughputChannel } from '../../../src/core/measure/throughput'
import { connectLoopbackPair, type LoopbackPair } from '../../../src/core/werift/loopbackPair'
import { installSctpThroughputPatch, sctpThroughputPatchInstalled } from '../../../src/core/werift/sctpThroughput'
import { StunResponder } from '../../../src/core/stun/responder'
import { encodeProbe } from '../../../src/shared/probe'
import { DEFAULT_SCTP_MTU, sctpMtuOf, setSctpMtu } from '../../../src/core/werift/sctpMtu'
import { enlargeUdpBuffers } from '../../../src/core/werift/udpBuffers'

type Fn<A extends unknown[]> = (...args: A) => void
class Emitter<A extends unknown[]> {
  private fns = new Set<Fn<A>>()
  subscribe(fn: Fn<A>): { unSubscribe(): void } {
    this.fns.add(fn)
    return { unSubscribe: () => this.fns.delete(fn) }
  }
  execute(...args: A): void {
    for (const fn of [...this.fns]) fn(...args)
  }
}

/** An in-memory ordered channel pair: messages arrive a tick later, bufferedAmount drains as they do. */
class FakeChannel implements ThroughputChannel {
  readyState = 'open'
  bufferedAmount = 0
  bufferedAmountLowThreshold = 0
  peer!: FakeChannel
  readonly onMessage = new Emitter<[Buffer | string]>()
  readonly bufferedAmountLow = new Emitter<[]>()
  readonly stateChanged = new Emitter<[string]>()
  sent: Array<Buffer | string> = []
  send(data: Buffer | string): void {
    if (this.readyState !== 'open') throw new Error('closed')
    const copy = typeof data === 'string' ? data : Buffer.from(data)
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length
    this.sent.push(copy)
    this.bufferedAmount += size
    setImmediate(() => {
      const before = this.bufferedAmount
      this.bufferedAmount -= size
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.bufferedAmountLow.execute()
      if (this.peer.readyState === 'open') this.peer.onMessage.execute(copy)
    })
  }
  close(): void {
    for (const c of [this, this.peer]) {
      c.readyState = 'closed'
      c.stateChanged.execute('closed')
    }
  }
}

/** A channel whose messages leave one at a time at `rate` bytes per second (a bottleneck with a queue). */
class ShapedChannel extends FakeChannel {
  private free = 0
  constructor(private readonly rate: number) {
    super()
  }
  override send(data: Buffer | string): void {
    if (this.readyState !== 'open') throw new Error('closed')
    const copy = typeof data === 'string' ? data : Buffer.from(data)
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length
    this.bufferedAmount += size
    const now = performance.now()
    this.free = Math.max(this.free, now) + (size / this.rate) * 1000
    setTimeout(() => {
      const before = this.bufferedAmount
      this.bufferedAmount -= size
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.bufferedAmountLow.execute()
      if (this.peer.readyState === 'open') this.peer.onMessage.execute(copy)
    }, this.free - now)
  }
}

function shapedPair(rate: number): [FakeChannel, FakeChannel] {
  const a = new ShapedChannel(rate)
  const b = new ShapedChannel(rate)
  a.peer = b
  b.peer = a
  return [a, b]
}

function fakePair(): [FakeChannel, FakeChannel] {
  const a = new FakeChannel()
  const b = new FakeChannel()
  a.peer = b
  b.peer = a
  return [a, b]
}

describe('throughput framing (in-memory channel)', () => {
  it('counts every payload byte in each direction, timed by the receiver', async () => {
    const [a, b] = fakePair()
    attachThroughput(b)
    const bytes = 1_000_000 + 123
    const r = await measureThroughput(a, { direction: 'send', bytes, messageSize: 16 * 1024, seconds: 10 })
    expect(r.receive).toBeUndefined()
    expect(r.send).toMatchObject({ bytes, sentBytes: bytes, messageSize: 16 * 1024 })
    expect(r.send!.ms).toBeGreaterThan(0)
    expect(r.send!.MBps).toBeGreaterThan(0)
    expect(Math.abs(r.send!.mbps - r.send!.MBps * 8)).toBeLessThan(0.01 * r.send!.mbps + 0.1)
    // Payload frames are binary, never start with '{', and a stray JSON string is ignored by both sides.
    const frames = a.sent.filter((m): m is Buffer => typeof m !== 'string')
    expect(frames.every((f) => f[0] === MAGIC && isThroughputFrame(f))).toBe(true)
    expect(isThroughputFrame(encodeProbe({ t: 'done' }))).toBe(false)

    const down = await measureThroughput(a, { direction: 'receive', bytes: 300_000, messageSize: 4096 })
    expect(down.receive).toMatchObject({ bytes: 300_000, sentBytes: 300_000, messageSize: 4096 })
    const both = await measureThroughput(b, { direction: 'both', bytes: 200_000 })
    expect(both.send?.bytes).toBe(200_000)
    expect(both.receive?.bytes).toBe(200_000)
  })

  it('stops at the time limit and reports what arrived', async () => {
    const [a, b] = fakePair()
    attachThroughput(b)
    const t0 = performance.now()
    const r = await measureThroughput(a, { direction: 'send', bytes: 1e12, seconds: 0.3, highWaterMark: 64 * 1024, lowWaterMark: 16 * 1024 })
    expect(performance.now() - t0).toBeLessThan(3_000)
    expect(r.send!.bytes).toBeGreaterThan(0)
    expect(r.send!.bytes).toBeLessThanOrEqual(r.send!.sentBytes)
    expect(r.send!.limitedBy).toBe('time')
    expect(r.send!.ms).toBeGreaterThanOrEqual(295)
    // bufferedAmount was kept under the high-water mark (plus one message).
    expect(a.bufferedAmountLowThreshold).toBe(0)
  })

  it('on a slow link reports the rate that arrived in the window, from both sides, never nothing', async () => {
    const rate = 2_000_000
    const [a, b] = shapedPair(rate)
    attachThroughput(b)
    const up = await measureThroughput(a, { direction: 'send', bytes: 1e12, seconds: 0.6, messageSize: 16 * 1024 })
    expect(up.send!.limitedBy).toBe('time')
    expect(up.send!.ms).toBeGreaterThanOrEqual(595)
    expect(up.send!.ms).toBeLessThan(700)
    // The sender queued more than arrived (its buffer was full when the window closed).
    expect(up.send!.sentBytes).toBeGreaterThan(up.send!.bytes)
    expect(Math.abs(up.send!.MBps * 1e6 - rate) / rate).toBeLessThan(0.1)
    const down = await measureThroughput(a, { direction: 'receive', bytes: 1e12, seconds: 0.6, messageSize: 16 * 1024 })
    expect(down.receive!.limitedBy).toBe('time')
    expect(Math.abs(down.receive!.MBps * 1e6 - rate) / rate).toBeLessThan(0.1)
    // A byte limit reached first ends the window early: the whole amount, timed to its arrival.
    const few = await measureThroughput(a, { direction: 'send', bytes: 200_000, seconds: 5, messageSize: 16 * 1024 })
    expect(few.send).toMatchObject({ bytes: 200_000, sentBytes: 200_000, limitedBy: 'bytes' })
    expect(few.send!.ms).toBeLessThan(1000)
  })

  it('fails within the grace period when the other side never answers', async () => {
    const [a] = fakePair()
    await expect(measureThroughput(a, { direction: 'send', bytes: 10_000, seconds: 0.1, graceMs: 200 })).rejects.toThrow(ThroughputError)
  })

  it('rejects bad options and a closed channel, and a close during a test', async () => {
    const [a, b] = fakePair()
    attachThroughput(b)
    await expect(measureThroughput(a, { direction: 'send', messageSize: HEADER_BYTES })).rejects.toThrow(/messageSize/)
    await expect(measureThroughput(a, { direction: 'send', bytes: -1 })).rejects.toThrow(/positive/)
    await expect(measureThroughput(a, { direction: 'send', highWaterMark: 10, lowWaterMark: 10 })).rejects.toThrow(/WaterMark/)
    const running = measureThroughput(a, { direction: 'both', bytes: 1e12, seconds: 5 })
    setTimeout(() => a.close(), 50)
    await expect(running).rejects.toThrow(/closed/)
    await expect(measureThroughput(a, { direction: 'send' })).rejects.toThrow(/not open/)
  })

  it('fits the default message to whole SCTP packets', () => {
    expect(defaultMessageSize({})).toBe(65536)
    expect(defaultMessageSize({ sctp: { sctp: { maxPayloadSize: 1160 } } })).toBe(56 * 1160)
    expect(defaultMessageSize({ sctp: { sctp: { maxPayloadSize: 15972 } } })).toBe(4 * 15972)
    expect(defaultMessageSize({ sctp: { sctp: { maxPayloadSize: 'x' } } })).toBe(65536)
  })

  it('answers each request once per side even when attached twice', async () => {
    const [a, b] = fakePair()
    expect(attachThroughput(b)).toBe(attachThroughput(b))
    const r = await measureThroughput(a, { direction: 'receive', bytes: 100_000 })
    expect(r.receive?.bytes).toBe(100_000)
  })
})

describe('throughput between two werift peers on loopback', () => {
  let stun: StunResponder
  let stunUrl: string
  const pairs: LoopbackPair[] = []
  beforeAll(async () => {
    stun = new StunResponder()
    stunUrl = `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
  })
  afterEach(async () => {
    for (const p of pairs.splice(0)) await p.close()
  })
  afterAll(async () => {
    await stun.close()
  })

  async function pair(config?: Parameters<typeof connectLoopbackPair>[0]['config']): Promise<LoopbackPair> {
    const p = await connectLoopbackPair({ stunUrl, config })
    pairs.push(p)
    return p
  }

  it('measures both directions over the data channel while JSON probes share it', async () => {
    const p = await pair()
    attachThroughput(p.b)
    const strings: string[] = []
    p.b.onMessage.subscribe((m) => typeof m === 'string' && strings.push(m))
    const probes = setInterval(() => p.a.send(encodeProbe({ t: 'ping', id: strings.length, ts: Date.now() })), 5)
    const bytes = 4 * 1024 * 1024
    const t0 = performance.now()
    const up = await measureThroughput(p.a, { direction: 'send', bytes, seconds: 20 })
    clearInterval(probes)
    const down = await measureThroughput(p.a, { direction: 'receive', bytes, seconds: 20 })
    const both = await measureThroughput(p.a, { direction: 'both', bytes: bytes / 2, seconds: 20 })
    expect(performance.now() - t0).toBeLessThan(45_000)
    expect(up.send).toMatchObject({ bytes, sentBytes: bytes })
    expect(down.receive).toMatchObject({ bytes, sentBytes: bytes })
    expect(both.send?.bytes).toBe(bytes / 2)
    expect(both.receive?.bytes).toBe(bytes / 2)
    for (const r of [up.send!, down.receive!, both.send!, both.receive!]) expect(r.MBps).toBeGreaterThan(0)
    expect(strings.length).toBeGreaterThan(0)
    expect(strings.every((s) => s.startsWith('{'))).toBe(true)
  })

  it('with the SCTP patch and a large SCTP MTU: exact counts, also when packets are lost', async () => {
    const uninstall = installSctpThroughputPatch()
    try {
      expect(sctpThroughputPatchInstalled()).toBe(true)
      expect(installSctpThroughputPatch()).toBe(uninstall)
      const p = await pair({ sctp: { mtu: 16_000 } })
      attachThroughput(p.b)
      // The receiver acknowledges every second DATA packet, and the odd one at the end of a batch (werift alone: every packet).
      const counted = { sacks: 0, data: 0 }
      const receiver = p.answerer.sctpTransport!.sctp as unknown as { sendSack(): Promise<void>; handleData(b: Buffer): Promise<void> }
      const sendSack = receiver.sendSack.bind(receiver)
      receiver.sendSack = () => (counted.sacks++, sendSack())
      const handleData = receiver.handleData.bind(receiver)
      receiver.handleData = (b: Buffer) => (counted.data++, handleData(b))
      const r = await measureThroughput(p.a, { direction: 'send', bytes: 8 * 1024 * 1024, seconds: 20 })
      expect(r.send?.bytes).toBe(8 * 1024 * 1024)
      expect(r.send?.messageSize).toBe(4 * 15972)
      expect(counted.data).toBeGreaterThan(500)
      expect(counted.sacks).toBeLessThanOrEqual(counted.data * 0.9)
      const both = await measureThroughput(p.a, { direction: 'both', bytes: 8 * 1024 * 1024, seconds: 20 })
      expect(both.send?.bytes).toBe(8 * 1024 * 1024)
      expect(both.receive?.bytes).toBe(8 * 1024 * 1024)
      // werift's debug option drops (100 - n)% of DTLS application packets: retransmission must still deliver all.
      const lossy = await pair({ debug: { inboundPacketLoss: 97 } })
      attachThroughput(lossy.b)
      const l = await measureThroughput(lossy.a, { direction: 'send', bytes: 1024 * 1024, seconds: 30, graceMs: 20_000 })
      expect(l.send).toMatchObject({ bytes: 1024 * 1024, sentBytes: 1024 * 1024 })
    } finally {
      uninstall()
    }
    expect(sctpThroughputPatchInstalled()).toBe(false)
  })

  it('a patched peer works with an unpatched one, both ways', async () => {
    let uninstall = installSctpThroughputPatch()
    let p: LoopbackPair
    try {
      p = await connectLoopbackPair({ stunUrl, beforeAnswerer: () => uninstall() })
      pairs.push(p)
    } finally {
      uninstall()
    }
    // The patch stays with the transport it was given after the patch is uninstalled; new ones do not get it.
    expect(Object.prototype.hasOwnProperty.call(p.offerer.sctpTransport, 'dataChannelFlush')).toBe(true)
    expect(Object.prototype.hasOwnProperty.call(p.answerer.sctpTransport, 'dataChannelFlush')).toBe(false)
    attachThroughput(p.b)
    const r = await measureThroughput(p.a, { direction: 'both', bytes: 2 * 1024 * 1024, seconds: 20 })
    expect(r.send?.bytes).toBe(2 * 1024 * 1024)
    expect(r.receive?.bytes).toBe(2 * 1024 * 1024)
    // And the other way round: only the answerer patched.
    uninstall = () => {}
    const q = await connectLoopbackPair({ stunUrl, beforeAnswerer: () => (uninstall = installSctpThroughputPatch()) })
    uninstall()
    pairs.push(q)
    attachThroughput(q.a)
    const s = await measureThroughput(q.b, { direction: 'both', bytes: 2 * 1024 * 1024, seconds: 20 })
    expect(s.send?.bytes).toBe(2 * 1024 * 1024)
    expect(s.receive?.bytes).toBe(2 * 1024 * 1024)
  })

  it('changes the SCTP packet size and the UDP buffers of a live connection', async () => {
    const p = await pair()
    expect(sctpMtuOf(p.offerer)).toBe(DEFAULT_SCTP_MTU)
    expect(() => setSctpMtu(p.offerer, 100)).toThrow(RangeError)
    expect(setSctpMtu(p.offerer, 16_000)).toBe(DEFAULT_SCTP_MTU)
    expect(sctpMtuOf(p.offerer)).toBe(16_000)
    const granted = [...enlargeUdpBuffers(p.offerer), ...enlargeUdpBuffers(p.answerer)]
    expect(granted.length).toBeGreaterThan(0)
    expect(granted.every((n) => n > 0)).toBe(true)
    attachThroughput(p.b)
    const r = await measureThroughput(p.a, { direction: 'both', bytes: 4 * 1024 * 1024, seconds: 20 })
    expect(r.send?.bytes).toBe(4 * 1024 * 1024)
    expect(r.receive?.bytes).toBe(4 * 1024 * 1024)
  })

  it('shuts down cleanly: closing the peers ends a running test', async () => {
    const p = await pair()
    attachThroughput(p.b)
    const running = measureThroughput(p.a, { direction: 'send', bytes: 1e12, seconds: 30 })
    setTimeout(() => void p.close(), 300)
    await expect(running).rejects.toThrow(ThroughputError)
  })
})
