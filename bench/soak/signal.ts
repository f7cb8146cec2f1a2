// The soak's signaling server in its own process, and its memory.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ServerMemory {
  heapUsedMiB: number
  rssMiB: number
  rooms: number
  /** Long polls the server holds open now. */
  longPolls: number
}

/** bench/soak/server.ts in its own process (the code `peerlens signal` runs), with heap readings. */
export async function forkSignal(ttlS: number, defaults = false, redis?: string): Promise<{ base: string; port: number; pid: number; kill(): void; memory(): Promise<ServerMemory>; stop(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [String(ttlS), defaults ? 'defaults' : 'soak', ...(redis ? [redis] : [])], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the soak server did not start in 10 s')), 10_000)
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer)
      resolve(m.port)
    })
  })
  return {
    base: `http://127.0.0.1:${port}/`,
    port,
    pid: child.pid!,
    kill: () => void child.kill('SIGKILL'),
    memory: () =>
      new Promise((resolve) => {
        child.once('message', (m: ServerMemory) => resolve(m))
        child.send({ ask: 'memory' })
      }),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }
}
