// A real `peerlens signal` process on loopback for the soak, and its resident memory.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/peerlens.mjs', import.meta.url))

export interface SignalProcess {
  base: string
  port: number
  child: ChildProcess
  /** Resident memory of the server process, MiB (VmRSS). */
  rssMiB(): number
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((r) => probe.close(() => r()))
  return port
}

export async function startSignal(args: string[]): Promise<SignalProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [BIN, 'signal', '--listen', `127.0.0.1:${port}`, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('peerlens signal did not start in 10 s')), 10_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (!/^listening: /m.test(d)) return
      clearTimeout(timer)
      resolve()
    })
    child.once('exit', (code) => reject(new Error(`peerlens signal exited ${code}`)))
  })
  return {
    base: `http://127.0.0.1:${port}/`,
    port,
    child,
    rssMiB() {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN)
      return kb / 1024
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }
}
