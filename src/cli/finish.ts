import type { RunOutcome } from '../core/run/runSession'
import { EXIT } from './errors'
import type { Printer } from './printer'
import type { Io } from './io'
import { pairText } from '../shared/format/candidates'
import { writeReport } from './reportFile'
import { remedies } from '../shared/diagnosis/findings'
import { remedyText } from '../shared/diagnosis/remedies'
import { pathSummaryLines, relayOverhead } from '../shared/format/measure'
import { cleanLine } from '../shared/cleanText'

/** Writes the report (atomically), prints the result line last, and returns the exit code. */
export async function finishRun(outcome: RunOutcome, printer: Printer, io: Io, reportFile?: string): Promise<number> {
  let code: number = EXIT.ok
  const { report } = outcome
  if (reportFile) {
    const written = await writeReport(reportFile, JSON.stringify(report, null, 2) + '\n')
    if (written.ok) printer.progress('report', { file: reportFile }, `report written to ${reportFile}`)
    else {
      const saved = written.savedTo ? `; saved to ${written.savedTo} instead` : '; nothing could be saved'
      io.stderr(`peerlens: cannot write report ${reportFile}: ${written.why}${saved}\n`)
      if (written.savedTo) printer.progress('report', { file: written.savedTo }, undefined)
      code = EXIT.usage
    }
  }
  const c = report.connection
  const human =
    c.verdict === 'failed'
      ? `result: failed: ${c.reason}`
      : `result: ${c.verdict}: ${c.selectedPair ? pairText(c.selectedPair) : ''}${c.rttMs !== null ? `, rtt ${c.rttMs} ms` : ''}${c.verdict === 'tunneled' ? ` (${c.reason.split(', over ')[0]})` : ''}`
  // Per path: throughput each way with its window, the UDP rate under 1 % loss, loss, RTT, jitter;
  // the relay's overhead when both paths were measured (or "off: why" when it was turned off).
  const paths = pathSummaryLines(report.paths).map(cleanLine)
  const measured = paths.length ? `\n${paths.join('\n')}` : ''
  const overhead = relayOverhead(report.paths)
  // What to do next, ranked, under the result line (and in its JSON event).
  const next = report.remedies ?? remedies(report)
  const todo = next.length ? `\nwhat to do next:\n${next.map((r) => `  ${remedyText(r)}`).join('\n')}` : ''
  printer.main('result', { role: report.writtenBy, verdict: c.verdict, reason: c.reason, selectedPair: c.selectedPair, rttMs: c.rttMs, connectedAfterMs: c.connectedAfterMs, ...(report.paths ? { paths: report.paths } : {}), ...(overhead ? { relayOverhead: overhead } : {}), ...(next.length ? { remedies: next } : {}) }, human + measured + todo)
  if (c.verdict === 'failed') {
    if (printer.json) io.stderr(`peerlens: no connection: ${c.reason}\n`)
    if (code === EXIT.ok) code = EXIT.noConnection
  }
  return code
}

/** An AbortSignal that fires on Ctrl-C or SIGTERM while `fn` runs. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await fn(controller.signal)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
