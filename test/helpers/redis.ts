import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** Whether Debian's redis-server is installed (tests skip with a clear message when it is not). */
export const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0
export const NO_REDIS = 'redis-server is not installed (apt-get install redis-server): Redis store tests skipped'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface RedisServer {
  port: number
  url: string
  /** Stops it (SIGKILL); start() brings it back on the same port, empty. */
  stop(): Promise<void>
  start(): Promise<void>
}

/** A real redis-server on a free loopback port, with no persistence. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
      child = c
      let out = ''
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000)
        c.stdout!.on('data', (d: Buffer) => {
          out += d.toString()
          if (/Ready to accept connections/.test(out)) {
            clearTimeout(timer)
            resolve()
          }
        })
        c.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`redis-server exited (${code}): ${out}`))
        })
      })
      c.stdout!.resume()
    },
    async stop() {
      const c = child
      child = undefined
      if (!c || c.exitCode !== null) return
      const gone = new Promise((resolve) => c.once('exit', resolve))
      c.kill('SIGKILL')
      await gone
    }
  }
  await server.start()
  return server
}
