// The app's history of past sessions: each finished session's report as `<id>.json` in the data
// folder's `history/`, and `index.json` listing them (newest first) so Home can show them without
// reading every report. Bounded: at most HISTORY_LIMITS.entries sessions and totalBytes on disk; a
// report over reportBytes is not kept. Reports are read back through the core's loadReport, so a
// damaged file is a one-line error, never a crash; a damaged index starts afresh and says so.
// No Electron import: tests give it a temp dir.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { HISTORY_LIMITS, type HistoryEntry, type HistoryList, type HostStartParams } from '../shared/ipc'
import type { Report, SideReport } from '../shared/report'
import { hostPort, roleName } from '../shared/format'
import { hostStartParams } from './ipcSchemas'
import { newId } from './sessionRunner'

const entrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  createdAt: z.string().max(64),
  role: z.enum(['host', 'join']),
  verdict: z.string().max(32),
  reason: z.string().max(2000),
  peer: z.string().max(200),
  networks: z.array(z.string().max(200)).max(8),
  again: hostStartParams.optional(),
  bytes: z.number().int().min(0)
})
const indexSchema = z.object({ version: z.literal(1), entries: z.array(entrySchema).max(1000) })

type Stored = HistoryEntry & { bytes: number }

export interface HistoryLimits {
  entries: number
  reportBytes: number
  totalBytes: number
}

/** What Home lists for a report: the verdict, the other side, this side's networks, the time. */
export function historyEntry(id: string, report: Report, again?: HostStartParams): HistoryEntry {
  const mine = report.sides.find((s): s is SideReport => s.role === report.writtenBy && !s.missing)
  const networks: string[] = []
  for (const c of mine?.candidates.local ?? []) {
    const label = c.type === 'host' ? `${c.interface ?? 'host'} ${c.address}` : c.type === 'srflx' ? `public ${c.address}` : c.type === 'relay' ? `relay ${hostPort(c.address, c.port)}` : ''
    if (label && !networks.includes(label) && networks.length < 6) networks.push(label)
  }
  return {
    id,
    createdAt: report.createdAt,
    role: report.writtenBy,
    verdict: report.connection.verdict,
    reason: report.connection.reason.slice(0, 2000),
    peer: peerName(report, mine),
    networks,
    ...(again && report.writtenBy === 'host' ? { again } : {})
  }
}

/** The other side's name: from its half, else from its hello (its half may not have arrived), else "the host"/"the joiner". */
function peerName(report: Report, mine: SideReport | undefined): string {
  const other = report.sides.find((s) => s.role !== report.writtenBy)
  if (other && !other.missing) return other.name.slice(0, 200)
  const hello = mine?.events.find((e) => e.kind === 'peer-hello') as { name?: string } | undefined
  return hello?.name ? hello.name.slice(0, 200) : `the ${roleName(report.writtenBy === 'host' ? 'join' : 'host')}`
}

export class HistoryStore {
  private entries: Stored[] | undefined
  private problem: string | undefined
  /** One write at a time: two sessions ending together must not lose an index entry. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly dir: string,
    private readonly loadReport: (text: string) => Report,
    private readonly limits: HistoryLimits = HISTORY_LIMITS
  ) {}

  async list(): Promise<HistoryList> {
    const entries = await this.read()
    return { entries: entries.map(({ bytes: _bytes, ...e }) => e), ...(this.problem ? { problem: this.problem } : {}) }
  }

  /** Keeps a finished session's report; the oldest go when the count or the size is over. */
  add(report: Report, again?: HostStartParams): Promise<HistoryEntry | undefined> {
    return this.serial(async () => {
      const text = JSON.stringify(report)
      const bytes = Buffer.byteLength(text)
      if (bytes > this.limits.reportBytes) return undefined
      const entries = await this.read()
      const entry = historyEntry(newId(), report, again)
      await mkdir(this.dir, { recursive: true })
      await atomicWrite(this.file(entry.id), text)
      entries.unshift({ ...entry, bytes })
      let total = entries.reduce((sum, e) => sum + e.bytes, 0)
      while (entries.length > this.limits.entries || (total > this.limits.totalBytes && entries.length > 1)) {
        const old = entries.pop()!
        total -= old.bytes
        await rm(this.file(old.id), { force: true })
      }
      await this.writeIndex(entries)
      return entry
    })
  }

  /** The stored report, or a one-line error saying why it cannot be opened. */
  async open(id: string): Promise<{ report: Report; path: string }> {
    const entries = await this.read()
    if (!entries.some((e) => e.id === id)) throw new Error('that session is no longer in the history')
    const path = this.file(id)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw new Error(`this past session cannot be opened: ${code === 'ENOENT' ? 'its report file is gone' : (err as Error).message.split('\n')[0]}`, { cause: err })
    }
    try {
      return { report: this.loadReport(text), path }
    } catch (err) {
      throw new Error(`this past session cannot be opened: ${(err as Error).message.split('\n')[0]}`, { cause: err })
    }
  }

  remove(id: string): Promise<HistoryList> {
    return this.serial(async () => {
      const entries = await this.read()
      const i = entries.findIndex((e) => e.id === id)
      if (i >= 0) {
        entries.splice(i, 1)
        await rm(this.file(id), { force: true })
        await this.writeIndex(entries)
      }
      return this.list()
    })
  }

  private file(id: string): string {
    // Ids come from newId() or a validated index: [A-Za-z0-9_-] only, never a path.
    return join(this.dir, `${id}.json`)
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  private async read(): Promise<Stored[]> {
    if (this.entries) return this.entries
    let text: string | undefined
    try {
      text = await readFile(join(this.dir, 'index.json'), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `the history index could not be read (${(err as Error).message.split('\n')[0]}): starting a new one`
    }
    let entries: Stored[] = []
    if (text !== undefined) {
      try {
        const parsed = indexSchema.safeParse(JSON.parse(text))
        if (parsed.success) entries = parsed.data.entries
        else this.problem = 'the history index is damaged (not the expected shape): starting a new one'
      } catch {
        this.problem = 'the history index is damaged (not valid JSON): starting a new one'
      }
    }
    this.entries = entries
    return entries
  }

  private async writeIndex(entries: Stored[]): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    await atomicWrite(join(this.dir, 'index.json'), JSON.stringify({ version: 1, entries }))
    this.problem = undefined
  }
}

async function atomicWrite(path: string, text: string): Promise<void> {
  await writeFile(path + '.tmp', text, { mode: 0o600 })
  await rename(path + '.tmp', path)
}
