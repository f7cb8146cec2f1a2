// A scriptable RFC 5780 STUN server on loopback (127.0.0.1 and 127.0.0.2, two ports each), for
// testing the discovery engine without root. It can lie, drop, delay and misbehave on purpose.
import { createSocket, type Socket } from 'node:dgram'
import { Message, classes, methods } from 'werift'
import { parseStunPacket } from '../../../src/core/werift/stunCodec'
import type { NatEndpoint } from '../../../src/shared/nat'

export interface FakeServerOptions {
  /** OTHER-ADDRESS to announce: the real alternate (default), none, or one with the primary IP. */
  otherAddress?: 'valid' | 'none' | 'same-ip' | 'same-port'
  /** Answer CHANGE-REQUEST from the primary address instead (a server that ignores it). */
  ignoreChange?: boolean
  /** Answer CHANGE-REQUEST with this error code. */
  errorOnChange?: number
  /** Simulated filtering in front of the client: which changed replies never arrive. */
  drop?: 'none' | 'changed-ip' | 'all-changed' | 'everything'
  /** Delay for replies to CHANGE-REQUEST, ms (a loaded machine). */
  changedDelayMs?: number
  /** Delay for every reply, ms. */
  delayMs?: number
  /** Simulated mapping: the mapped address to report for a request from `from` to server address `to`. */
  mapped?: (from: NatEndpoint, to: NatEndpoint) => NatEndpoint
  /** Before each real reply, send junk (bad cookie, wrong txid, lying length) to the client. */
  junk?: boolean
  /** Drop the first N requests on the floor (to force retransmissions). */
  dropFirst?: number
  /** Drop every change-port-only request for this long after the first one (a burst of loss on the test that reads as "filtered"). */
  dropChangePortForMs?: number
  /** Also answer from a third, unrelated address with the right transaction id (spoofed reply). */
  spoofFrom?: boolean
  /** Ignore RESPONSE-PORT (answer to the request's source port instead). */
  ignoreResponsePort?: boolean
}

export interface FakeServer {
  primary: NatEndpoint
  other: NatEndpoint
  url: string
  requests: Array<{ from: NatEndpoint; to: NatEndpoint; change?: { ip: boolean; port: boolean } }>
  close(): Promise<void>
}

const IP_A = '127.0.0.1'
const IP_B = '127.0.0.2'
const IP_SPOOF = '127.0.0.3'

async function bind(address: string, port: number): Promise<Socket> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(port, address, () => {
      socket.off('error', reject)
      resolve()
    })
  })
  return socket
}

/** Two ports that are free on both addresses. Bounded retries. */
async function socketsOnBothAddresses(): Promise<{ a: Socket; b: Socket; port: number }> {
  for (let i = 0; i < 20; i++) {
    const a = await bind(IP_A, 0)
    const port = a.address().port
    try {
      const b = await bind(IP_B, port)
      return { a, b, port }
    } catch {
      a.close()
    }
  }
  throw new Error('no port free on both 127.0.0.1 and 127.0.0.2')
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const p = await socketsOnBothAddresses()
  const q = await socketsOnBothAddresses()
  const spoof = await bind(IP_SPOOF, 0)
  const sockets = new Map<string, Socket>([
    [`${IP_A}:${p.port}`, p.a],
    [`${IP_B}:${p.port}`, p.b],
    [`${IP_A}:${q.port}`, q.a],
    [`${IP_B}:${q.port}`, q.b]
  ])
  const primary = { address: IP_A, port: p.port }
  const alt = { address: IP_B, port: q.port }
  const requests: FakeServer['requests'] = []
  const timers = new Set<NodeJS.Timeout>()
  let seen = 0
  let changePortFirstAt: number | undefined

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn()
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  for (const [key, socket] of sockets) {
    const [address, port] = [key.split(':')[0]!, Number(key.split(':')[1])]
    const here = { address, port }
    socket.on('error', () => {})
    socket.on('message', (data, rinfo) => {
      const parsed = parseStunPacket(data)
      if (!parsed.ok || parsed.message.kind !== 'request') return
      const from = { address: rinfo.address, port: rinfo.port }
      const change = parsed.message.changeRequest
      requests.push({ from, to: here, ...(change ? { change } : {}) })
      if (seen++ < (options.dropFirst ?? 0)) return
      if (change && change.port && !change.ip && options.dropChangePortForMs) {
        changePortFirstAt ??= performance.now()
        if (performance.now() - changePortFirstAt < options.dropChangePortForMs) return
      }
      const changed = !!change && (change.ip || change.port)
      let out = here
      if (changed && !options.ignoreChange) {
        out = { address: change.ip ? (address === IP_A ? IP_B : IP_A) : address, port: change.port ? (port === p.port ? q.port : p.port) : port }
      }
      const drop = options.drop ?? 'none'
      if (drop === 'everything') return
      if (changed && drop === 'all-changed') return
      if (changed && change.ip && drop === 'changed-ip') return
      const tx = Buffer.from(parsed.message.txid, 'hex')
      const response = new Message(methods.BINDING, classes.RESPONSE, tx)
      if (changed && options.errorOnChange) {
        const err = new Message(methods.BINDING, classes.ERROR, tx)
        err.setAttribute('ERROR-CODE', [options.errorOnChange, 'Unknown Attribute'])
        later(options.delayMs ?? 0, () => socket.send(err.bytes, rinfo.port, rinfo.address))
        return
      }
      const mapped = options.mapped ? options.mapped(from, here) : from
      response.setAttribute('XOR-MAPPED-ADDRESS', [mapped.address, mapped.port])
      const other = options.otherAddress ?? 'valid'
      if (other === 'valid') response.setAttribute('OTHER-ADDRESS', [alt.address, alt.port])
      if (other === 'same-ip') response.setAttribute('OTHER-ADDRESS', [IP_A, q.port])
      if (other === 'same-port') response.setAttribute('OTHER-ADDRESS', [IP_B, p.port])
      response.setAttribute('RESPONSE-ORIGIN', [out.address, out.port])
      const sender = sockets.get(`${out.address}:${out.port}`)!
      const delay = (options.delayMs ?? 0) + (changed ? (options.changedDelayMs ?? 0) : 0)
      later(delay, () => {
        if (options.junk) {
          const junkBytes = junkFor(tx)
          for (const j of junkBytes) sender.send(j, rinfo.port, rinfo.address)
        }
        if (options.spoofFrom) {
          const fake = new Message(methods.BINDING, classes.RESPONSE, tx)
          fake.setAttribute('XOR-MAPPED-ADDRESS', ['192.0.2.66', 6666])
          spoof.send(fake.bytes, rinfo.port, rinfo.address)
        }
        const toPort = parsed.message.responsePort !== undefined && !options.ignoreResponsePort ? parsed.message.responsePort : rinfo.port
        sender.send(response.bytes, toPort, rinfo.address)
      })
    })
  }
  spoof.on('error', () => {})

  return {
    primary,
    other: alt,
    url: `stun:${primary.address}:${primary.port}`,
    requests,
    close: async () => {
      for (const t of timers) clearTimeout(t)
      await Promise.all([...sockets.values(), spoof].map((s) => new Promise<void>((r) => s.close(() => r()))))
    }
  }
}

/** Hostile datagrams carrying the real transaction id where it helps the attack. */
export function junkFor(tx: Buffer): Buffer[] {
  const good = new Message(methods.BINDING, classes.RESPONSE, tx)
  good.setAttribute('XOR-MAPPED-ADDRESS', ['192.0.2.99', 9999])
  const valid = good.bytes
  const badCookie = Buffer.from(valid)
  badCookie.writeUInt32BE(0xdeadbeef, 4)
  const lyingLength = Buffer.from(valid)
  lyingLength.writeUInt16BE(valid.length + 40, 2)
  const truncated = valid.subarray(0, 14)
  const unknownRequired = new Message(methods.BINDING, classes.RESPONSE, tx).appendRawAttribute(0x7fff, Buffer.alloc(4)).bytes
  const wrongTx = new Message(methods.BINDING, classes.RESPONSE, Buffer.alloc(12, 7)).bytes
  return [badCookie, lyingLength, truncated, unknownRequired, wrongTx, Buffer.from('hello, not stun')]
}
