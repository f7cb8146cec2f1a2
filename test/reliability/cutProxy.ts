// A loopback TCP proxy that cuts long polls mid-delivery: on a connection whose latest request is
// a GET, it may forward only part of the server's answer and then destroy both sockets, as a
// flaky Wi-Fi or a dying proxy would. Posts are never cut (their fate is the sender's to know).
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface CutProxy {
  port: number
  /** Answers cut so far. */
  cuts(): number
  close(): Promise<void>
}

export async function startCutProxy(target: number, probability: number, random: () => number = Math.random): Promise<CutProxy> {
  let cuts = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1')
    sockets.add(client).add(upstream)
    let lastMethod = ''
    const kill = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk: Buffer) => {
      const method = /^([A-Z]+) \//.exec(chunk.subarray(0, 16).toString('latin1'))?.[1]
      if (method) lastMethod = method
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (lastMethod === 'GET' && random() < probability) {
        cuts++
        // Anything from nothing to all but the last byte: headers only, half a body, ...
        client.write(chunk.subarray(0, Math.floor(random() * chunk.length)), kill)
        return
      }
      client.write(chunk)
    })
    for (const s of [client, upstream]) {
      s.on('error', kill)
      s.on('close', () => {
        sockets.delete(s)
        kill()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    cuts: () => cuts,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
