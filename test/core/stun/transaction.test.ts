import { afterEach, describe, expect, it } from 'vitest'
import { createSocket } from 'node:dgram'
import { RtoEstimator } from '../../../src/core/stun/rto'
import { StunSocket } from '../../../src/core/stun/transaction'
import { startFakeServer, type FakeServer } from '../nat/fakeServer'

let server: FakeServer | undefined
let socket: StunSocket | undefined
afterEach(async () => {
  await socket?.close()
  await server?.close()
  socket = server = undefined
})

const rto = () => new RtoEstimator({ initialMs: 30, floorMs: 20, ceilingMs: 1000 })

describe('StunSocket transactions', () => {
  it('matches the reply by transaction id and measures the round trip', async () => {
    server = await startFakeServer()
    socket = await StunSocket.open(4)
    const estimator = rto()
    const outcome = await socket.request(server.primary, { rto: estimator, giveUpMs: 2000 }).done
    expect(outcome.result).toBe('reply')
    if (outcome.result !== 'reply') return
    expect(outcome.reply.from).toEqual(server.primary)
    expect(outcome.reply.message.mapped).toEqual({ address: '127.0.0.1', port: socket.port })
    expect(outcome.reply.message.otherAddress).toEqual(server.other)
    expect(outcome.reply.attempts).toBe(1)
    expect(estimator.measured).toBe(true)
  })

  it('retransmits when requests are lost, and keeps Karn out of the estimate', async () => {
    server = await startFakeServer({ dropFirst: 2 })
    socket = await StunSocket.open(4)
    const estimator = rto()
    const outcome = await socket.request(server.primary, { rto: estimator, giveUpMs: 2000 }).done
    expect(outcome.result).toBe('reply')
    if (outcome.result === 'reply') expect(outcome.reply.attempts).toBe(3)
    expect(estimator.measured).toBe(false)
    expect(server.requests.length).toBe(3)
  })

  it('gives up after a bounded number of transmissions and time', async () => {
    server = await startFakeServer({ drop: 'everything' })
    socket = await StunSocket.open(4)
    const started = performance.now()
    const outcome = await socket.request(server.primary, { rto: rto(), giveUpMs: 400, maxTransmissions: 3 }).done
    expect(outcome.result).toBe('timeout')
    expect(outcome.result === 'timeout' && outcome.attempts).toBe(3)
    expect(performance.now() - started).toBeLessThan(1500)
  })

  it('ignores hostile packets and spoofed sources, and still takes the real reply', async () => {
    server = await startFakeServer({ junk: true, spoofFrom: true })
    socket = await StunSocket.open(4)
    const outcome = await socket.request(server.primary, { rto: rto(), giveUpMs: 2000 }).done
    expect(outcome.result).toBe('reply')
    if (outcome.result === 'reply') expect(outcome.reply.message.mapped?.address).toBe('127.0.0.1')
    const reasons = socket.ignored.map((i) => i.reason).join('\n')
    expect(reasons).toMatch(/cookie/)
    expect(reasons).toMatch(/length/)
    expect(reasons).toMatch(/truncated/)
    expect(reasons).toMatch(/comprehension-required/)
    expect(reasons).toMatch(/unknown transaction id/)
    expect(reasons).toMatch(/unexpected source 127\.0\.0\.3/)
  })

  it('survives a flood of junk with bounded memory', async () => {
    socket = await StunSocket.open(4)
    const sender = createSocket('udp4')
    for (let i = 0; i < 500; i++) sender.send(Buffer.alloc(i % 100), socket.port, '127.0.0.1')
    await new Promise((r) => setTimeout(r, 200))
    sender.close()
    expect(socket.ignored.length).toBeGreaterThan(0)
    expect(socket.ignored.length).toBeLessThanOrEqual(50)
  })

  it('records replies that arrive after the transaction was stopped', async () => {
    server = await startFakeServer({ delayMs: 150 })
    socket = await StunSocket.open(4)
    const tx = socket.request(server.primary, { rto: rto(), giveUpMs: 50, maxTransmissions: 1 })
    expect((await tx.done).result).toBe('timeout')
    await new Promise((r) => setTimeout(r, 250))
    expect(socket.ignored.some((i) => /late reply/.test(i.reason))).toBe(true)
  })

  it('reports a send error instead of throwing', async () => {
    socket = await StunSocket.open(4)
    const outcome = await socket.request({ address: '0.0.0.0', port: 0 }, { rto: rto(), giveUpMs: 500 }).done
    expect(['error', 'timeout']).toContain(outcome.result)
  })

  it('ends pending transactions when closed', async () => {
    socket = await StunSocket.open(4)
    const tx = socket.request({ address: '127.0.0.1', port: 9 }, { rto: rto(), giveUpMs: 5000 })
    await socket.close()
    expect((await tx.done).result).toBe('error')
  })
})
