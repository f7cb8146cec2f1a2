import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/peerlens.mjs', import.meta.url))

export interface Running {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the first stdout line matching the pattern (rejects after timeoutMs). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>
  exit: Promise<number>
  kill: () => void
}

/** Starts `peerlens ARGS` as a real process, optionally inside a network namespace. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; netns?: string; input?: string } = {}): Running {
  const command = options.netns ? 'ip' : process.execPath
  const argv = options.netns ? ['netns', 'exec', options.netns, process.execPath, BIN, ...args] : [BIN, ...args]
  const child = spawn(command, argv, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = []
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l))
      if (line) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  if (options.input !== undefined) child.stdin!.end(options.input)
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    kill: () => void child.kill('SIGKILL'),
    waitFor(pattern, timeoutMs = 15_000) {
      const line = out.split('\n').find((l) => pattern.test(l))
      if (line) return Promise.resolve(line)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`)), timeoutMs)
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) })
        void exit.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}; stdout: ${out}; stderr: ${err}`)), 50))
      })
    }
  }
}

/** Runs `peerlens ARGS` to completion. */
export async function runCli(args: string[], options: Parameters<typeof startCli>[1] = {}) {
  const r = startCli(args, options)
  const code = await r.exit
  return { code, stdout: r.stdout(), stderr: r.stderr() }
}
