// The agent's history: an append-only JSON Lines file of pair tests and flips, bounded in size.
// Past maxBytes the oldest lines go (the file is rewritten with its newest half). A write that fails
// (disk full, permission) is a warning, said once per cause; the agent runs on without it.
import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { homedir } from 'node:os'
import type { PairRecord } from '../../shared/mesh/record'
import type { Flip } from '../../shared/mesh/flips'

export type HistoryLine = PairRecord | Flip

export const DEFAULT_HISTORY_BYTES = 8 * 1024 * 1024

/** The user's data folder for peerlens (XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows). */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'peerlens')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'peerlens')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'peerlens')
}

export function defaultHistoryFile(group: string, name: string): string {
  return join(dataDir(), `agent-${group}-${name}.jsonl`)
}

/**
 * The newest lines of `text` that fit in `budget` bytes (whole lines only). Pure: the trimming rule.
 */
export function newestLines(text: string, budget: number): string {
  const lines = text.split('\n').filter(Boolean)
  let bytes = 0
  let i = lines.length
  while (i > 0) {
    const size = Buffer.byteLength(lines[i - 1]!) + 1
    if (bytes + size > budget) break
    bytes += size
    i--
  }
  return lines.slice(i).map((l) => l + '\n').join('')
}

/** Reads the history's lines (unreadable or corrupt lines are skipped). */
export function readHistory(text: string): HistoryLine[] {
  const out: HistoryLine[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const v = JSON.parse(line) as HistoryLine
      if (v && (v.kind === 'pair' || v.kind === 'flip')) out.push(v)
    } catch {
      // A line cut by a crash or a full disk.
    }
  }
  return out
}

export class History {
  private readonly warned = new Set<string>()
  private size = 0

  constructor(
    readonly file: string,
    private readonly warn: (line: string) => void,
    readonly maxBytes = DEFAULT_HISTORY_BYTES
  ) {
    try {
      mkdirSync(dirname(file), { recursive: true })
      this.size = statSync(file).size
    } catch {
      this.size = 0
    }
  }

  /** The latest test of every peer the file remembers (to tell a flip across restarts). */
  latest(): Map<string, PairRecord> {
    const out = new Map<string, PairRecord>()
    let text: string
    try {
      // A device (/dev/full reads zeros forever) or a file far past the bound is not read.
      const st = statSync(this.file)
      if (!st.isFile() || st.size > this.maxBytes * 2) return out
      text = readFileSync(this.file, 'utf8')
    } catch {
      return out
    }
    for (const line of readHistory(text)) if (line.kind === 'pair') out.set(line.peer, line)
    return out
  }

  append(line: HistoryLine): boolean {
    const text = JSON.stringify(line) + '\n'
    const bytes = Buffer.byteLength(text)
    try {
      if (this.size + bytes > this.maxBytes) this.trim(bytes)
      appendFileSync(this.file, text, { mode: 0o600 })
      this.size += bytes
      return true
    } catch (err) {
      this.problem(err)
      return false
    }
  }

  /** Keeps the newest half of the budget (minus room for the next line). */
  private trim(next: number): void {
    const kept = newestLines(readFileSync(this.file, 'utf8'), Math.max(0, Math.floor(this.maxBytes / 2) - next))
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, kept, { mode: 0o600 })
    renameSync(tmp, this.file)
    this.size = Buffer.byteLength(kept)
  }

  private problem(err: unknown): void {
    const why = fileProblem(err)
    if (this.warned.has(why)) return
    this.warned.add(why)
    this.warn(`warning: cannot write history ${this.file}: ${why}; the agent runs on without it`)
  }
}

function fileProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EISDIR: 'is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded'
  }
  return words[e.code ?? ''] ?? (e.message ?? String(err)).split('\n')[0]!
}
