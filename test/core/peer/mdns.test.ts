import { afterEach, describe, expect, it } from 'vitest'
import { createSocket, type Socket } from 'node:dgram'
import { mdnsQuery, readMdnsAnswer, resolveMdns } from '../../../src/core/peer/mdns'

const sockets: Socket[] = []
afterEach(() => {
  for (const s of sockets.splice(0)) s.close()
})

/** An mDNS answer for NAME -> ADDRESS, the name compressed as a pointer to the question (as responders do). */
function answer(name: string, address: string): Buffer {
  const question = mdnsQuery(name)
  const header = Buffer.from(question.subarray(0, 12))
  header.writeUInt16BE(0x8400, 2)
  header.writeUInt16BE(1, 6)
  const record = Buffer.from([0xc0, 12, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, ...address.split('.').map(Number)])
  return Buffer.concat([header, question.subarray(12), record])
}

/** A unicast stand-in for the mDNS group on loopback: answers NAME, or stays silent. */
async function responder(name: string, address: string | null): Promise<{ address: string; port: number }> {
  const s = createSocket('udp4')
  sockets.push(s)
  s.on('message', (msg, from) => {
    if (address && msg.includes(Buffer.from(name.split('.')[0]!))) s.send(answer(name, address), from.port, from.address)
  })
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
  return { address: '127.0.0.1', port: s.address().port }
}

describe('mDNS names of hidden host addresses', () => {
  it('reads an answer, compressed or not, and only for the name asked', () => {
    expect(readMdnsAnswer(answer('abc-1.local', '192.168.1.7'), 'abc-1.local')).toBe('192.168.1.7')
    expect(readMdnsAnswer(answer('abc-1.local', '192.168.1.7'), 'other.local')).toBeUndefined()
    expect(readMdnsAnswer(Buffer.from([1, 2, 3]), 'abc-1.local')).toBeUndefined()
    expect(readMdnsAnswer(Buffer.alloc(40, 0xc0), 'abc-1.local')).toBeUndefined()
  })

  it('resolves a name one responder answers', async () => {
    const target = await responder('5f0e-uuid.local', '10.9.8.7')
    expect(await resolveMdns('5f0e-uuid.local', 2_000, target)).toBe('10.9.8.7')
  })

  it('gives up after the short wait when nobody answers', async () => {
    const target = await responder('silent.local', null)
    const started = performance.now()
    expect(await resolveMdns('silent.local', 300, target)).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(1_500)
  })
})
