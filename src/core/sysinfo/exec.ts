import { execFile } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

export interface CommandOutput {
  /** Exit code; null when the command could not start or was killed. */
  code: number | null
  stdout: string
  stderr: string
  /** Why it did not run to a zero exit, in one line. */
  error?: string
}

/** Runs a command without a shell; never rejects. Tests pass a fake one. */
export type CommandRunner = (command: string, args: string[], timeoutMs: number) => Promise<CommandOutput>

const MAX_OUTPUT = 256 * 1024

export const runCommand: CommandRunner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr })
      const e = err as Error & { code?: number | string; killed?: boolean; signal?: string | null }
      const code = typeof e.code === 'number' ? e.code : null
      const why =
        e.killed || e.signal === 'SIGKILL'
          ? `timed out after ${timeoutMs} ms`
          : e.code === 'ENOENT'
            ? 'not installed'
            : firstLine(stderr) || firstLine(e.message) || 'failed'
      resolve({ code, stdout: stdout ?? '', stderr: stderr ?? '', error: `${command} ${args.join(' ')}: ${why}` })
    })
  })

export function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? ''
}

/** The full path of a program on PATH, or null (so a missing VPN client is never spawned). */
export async function findOnPath(name: string, path = process.env.PATH ?? '', platform = process.platform): Promise<string | null> {
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const file = join(dir, name + ext)
      try {
        await access(file, platform === 'win32' ? constants.F_OK : constants.X_OK)
        return file
      } catch {
        // not here
      }
    }
  }
  return null
}
