// `peerlens show BEFORE.json --compare AFTER.json`: two reports side by side (before and after a
// firewall or VPN change), as text, Markdown (--md) or one HTML file (--html OUT). The rule is
// src/shared/diagnosis/compare.ts, which the app's Compare screen uses too.
import { EXIT } from '../errors'
import type { Io } from '../io'
import type { Report } from '../../shared/report'
import { fileProblem } from '../args'
import { readReportFile, writeAtomic } from '../reportFile'
import { redactReport } from '../../core/report/redact'
import { compareReports } from '../../shared/diagnosis/compare'
import { comparisonHtml, comparisonMarkdown, comparisonText } from '../../shared/format/compare'

export async function compareCommand(before: Report, afterFile: string, o: { md?: boolean; html?: string; redact?: boolean }, io: Io): Promise<number> {
  let after = await readReportFile(afterFile, io)
  if (!after) return EXIT.usage
  if (o.redact) after = redactReport(after)
  const comparison = compareReports(before, after)
  io.stdout(o.md ? comparisonMarkdown(comparison) : comparisonText(comparison))
  if (o.html) {
    try {
      await writeAtomic(o.html, comparisonHtml(comparison))
    } catch (err) {
      io.stderr(`peerlens show: cannot write ${o.html}: ${fileProblem(err)}\n`)
      return EXIT.usage
    }
    io.stderr(`html written to ${o.html}\n`)
  }
  return EXIT.ok
}
