// `peerlens show BEFORE.json --compare AFTER.json`: two reports side by side (before and after a
// firewall or VPN change), as text, Markdown (--md) or one HTML file (--html OUT). The rule is
// src/shared/diagnosis/compare.ts, which the app's Compare screen uses too.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { EXIT } from '../errors'
import type { Io } from '../io'
import type { Report } from '../../shared/report'
import { loadReport, ReportLoadError } from '../../core/report/load'
import { redactReport } from '../../core/report/redact'
import { compareReports } from '../../shared/diagnosis/compare'
import { comparisonHtml, comparisonMarkdown, comparisonText } from '../../shared/format/compare'

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

export async function compareCommand(before: Report, afterFile: string, o: { md?: boolean; html?: string; redact?: boolean }, io: Io): Promise<number> {
  let after = await readReportFile(afterFile, io)
  if (!after) return EXIT.usage
  if (o.redact) after = redactReport(after)
  const comparison = compareReports(before, after)
  io.stdout(o.md ? comparisonMarkdown(comparison) : comparisonText(comparison))
  if (o.html) {
    try {
      const tmp = `${o.html}.${process.pid}.tmp`
      await writeFile(tmp, comparisonHtml(comparison))
      await rename(tmp, o.html)
    } catch (err) {
      io.stderr(`peerlens show: cannot write ${o.html}: ${(err as Error).message.split('\n')[0]}\n`)
      return EXIT.usage
    }
    io.stderr(`html written to ${o.html}\n`)
  }
  return EXIT.ok
}
