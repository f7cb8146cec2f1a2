// A round-robin TCP proxy standing in for a load balancer in front of several signaling instances:
// each new connection goes to the next backend; a backend that refuses is skipped.
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface LoadBalancer {
  port: number
  /** The backend index each accepted connection went to, in order. */
  routed: number[]
  close(): Promise<void>
}

export async function roundRobin(backends: number[]): Promise<LoadBalancer> {
  let next = 0
  const routed: number[] = []
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    open.add(client)
    client.pause()
    const attempt = (tries: number): void => {
      if (tries >= backends.length) return void client.destroy()
      const index = next++ % backends.length
      const upstream = connect(backends[index]!, '127.0.0.1')
      open.add(upstream)
      let connected = false
      upstream.on('error', () => {
        open.delete(upstream)
        if (connected) client.destroy()
        else attempt(tries + 1)
      })
      upstream.once('connect', () => {
        connected = true
        routed.push(index)
        client.on('error', () => upstream.destroy())
        upstream.on('close', () => (open.delete(upstream), client.destroy()))
        client.on('close', () => (open.delete(client), upstream.destroy()))
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    attempt(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    routed,
    async close() {
      for (const s of open) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
