import { createSocket } from 'node:dgram'
import { isIP } from 'node:net'

/** Where mDNS questions go (RFC 6762): the IPv4 link-local group. Tests point this at their own responder. */
export const MDNS_GROUP = { address: '224.0.0.251', port: 5353 }

/** A one-shot mDNS question for NAME's A record (RFC 6762 5.1), asking for a unicast answer (QU bit). */
export function mdnsQuery(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.')
  const parts = [Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])]
  for (const label of labels) parts.push(Buffer.from([Buffer.byteLength(label)]), Buffer.from(label))
  parts.push(Buffer.from([0, 0, 1, 0x80, 1]))
  return Buffer.concat(parts)
}

/** Reads a DNS name at `at` (with compression pointers); returns it and the offset after it. */
function readName(buf: Buffer, at: number): { name: string; next: number } | undefined {
  const labels: string[] = []
  let next: number | undefined
  for (let jumps = 0; jumps < 16 && at < buf.length; ) {
    const len = buf[at]!
    if (len === 0) return { name: labels.join('.'), next: next ?? at + 1 }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= buf.length) return undefined
      next ??= at + 2
      at = ((len & 0x3f) << 8) | buf[at + 1]!
      jumps++
      continue
    }
    if (at + 1 + len > buf.length) return undefined
    labels.push(buf.toString('utf8', at + 1, at + 1 + len))
    at += 1 + len
  }
  return undefined
}

/** The IPv4 address an mDNS answer gives for `name`, if it holds one. */
export function readMdnsAnswer(buf: Buffer, name: string): string | undefined {
  if (buf.length < 12) return undefined
  const questions = buf.readUInt16BE(4)
  const records = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10)
  let at = 12
  for (let i = 0; i < questions; i++) {
    const q = readName(buf, at)
    if (!q) return undefined
    at = q.next + 4
  }
  const want = name.replace(/\.$/, '').toLowerCase()
  for (let i = 0; i < records; i++) {
    const r = readName(buf, at)
    if (!r || r.next + 10 > buf.length) return undefined
    const type = buf.readUInt16BE(r.next)
    const length = buf.readUInt16BE(r.next + 8)
    const data = r.next + 10
    if (data + length > buf.length) return undefined
    if (type === 1 && length === 4 && r.name.toLowerCase() === want) return [...buf.subarray(data, data + 4)].join('.')
    at = data + length
  }
  return undefined
}

/**
 * Resolves a `.local` name (a browser hiding its host address) with one mDNS question, waiting at most
 * `waitMs`; undefined when nobody answered in time. Never throws: a network without multicast simply
 * gets no answer.
 */
export function resolveMdns(name: string, waitMs: number, target = MDNS_GROUP): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true })
    let done = false
    const finish = (address: string | undefined): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      try {
        socket.close()
      } catch {
        // closed already
      }
      resolve(address)
    }
    const timer = setTimeout(() => finish(undefined), waitMs)
    socket.on('error', () => finish(undefined))
    socket.on('message', (msg) => {
      const address = readMdnsAnswer(msg, name)
      if (address && isIP(address) === 4) finish(address)
    })
    socket.bind(0, () => {
      socket.send(mdnsQuery(name), target.port, target.address, (err) => {
        if (err) finish(undefined)
      })
    })
  })
}
