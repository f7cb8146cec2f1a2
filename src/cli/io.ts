export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads one non-empty line from standard input. */
  readLine?: () => Promise<string>
}

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readLine: async () => {
    const { createInterface } = await import('node:readline')
    const rl = createInterface({ input: process.stdin, terminal: false })
    try {
      for await (const line of rl) if (line.trim()) return line.trim()
      throw new Error('standard input ended before a line was read')
    } finally {
      rl.close()
    }
  }
}
