// Files the CLI writes: the report (host/join --report) and show --html. Written atomically (a
// temporary file beside the target, then a rename) and never leaving the temporary file behind.
// --report is checked before the session starts, so a two-machine session is not lost to a typo;
// if writing still fails at the end, the report goes to the temp folder (or the current one).
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileProblem } from './args'
import { UsageError } from './errors'
import type { Io } from './io'
import type { Report } from '../shared/report'
import { loadReport, ReportLoadError } from '../core/report/load'

/** Writes `text` to `file` through a temporary file beside it; on failure the temporary file is removed. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await writeFile(tmp, text, { flag: 'wx' })
    await rename(tmp, file)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}

/** Throws a UsageError (one line) unless a report can be written to `file`: it creates and deletes a probe file beside it. */
export async function checkWritable(file: string, option = '--report'): Promise<void> {
  const target = resolve(file)
  const dir = dirname(target)
  const problem = (why: string): UsageError => new UsageError(`${option} ${file}: ${why}`)
  const info = await stat(target).catch(() => undefined)
  if (info?.isDirectory()) throw problem('is a folder (give a file name)')
  const parent = await stat(dir).catch((err: unknown) => err as NodeJS.ErrnoException)
  if (parent instanceof Error) throw problem(parent.code === 'ENOENT' ? `the folder ${dir} does not exist` : fileProblem(parent))
  if (!parent.isDirectory()) throw problem(`${dir} is not a folder`)
  const probe = `${target}.${process.pid}.probe`
  try {
    const handle = await open(probe, 'wx')
    await handle.close()
  } catch (err) {
    throw problem(`cannot write in ${dir} (${fileProblem(err)})`)
  }
  await unlink(probe).catch(() => {})
}

/** The safe place a report goes when its own file cannot be written: the temp folder, else the current one. */
async function writeFallback(text: string): Promise<string> {
  const name = `peerlens-report-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  let last: unknown
  for (const dir of [tmpdir(), process.cwd()]) {
    const file = join(dir, name)
    try {
      await writeFile(file, text, { flag: 'wx' })
      return file
    } catch (err) {
      last = err
    }
  }
  throw last
}

export type ReportWrite = { ok: true } | { ok: false; why: string; savedTo?: string }

/** Writes the report; when that fails, into a fallback file, and says where. */
export async function writeReport(file: string, text: string): Promise<ReportWrite> {
  try {
    await writeAtomic(file, text)
    return { ok: true }
  } catch (err) {
    const why = fileProblem(err)
    try {
      return { ok: false, why, savedTo: await writeFallback(text) }
    } catch {
      return { ok: false, why }
    }
  }
}

/** Reads and loads a report file, or says in one line on stderr why not (undefined). */
export async function readReportFile(file: string, io: Io): Promise<Report | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : (e.message.split('\n')[0] ?? 'unreadable')
    io.stderr(`peerlens show: cannot read ${file}: ${why}\n`)
    return undefined
  }
  try {
    return loadReport(text)
  } catch (err) {
    if (!(err instanceof ReportLoadError)) throw err
    io.stderr(`peerlens show: ${file}: ${err.message}\n`)
    return undefined
  }
}
