// `peerlens show REPORT.json`: renders a saved report (summary, Markdown, HTML), optionally
// redacted, optionally pushed to Loki. Unreadable, corrupt or wrong-major files: one line, exit 2.
import { fileProblem, parse } from '../args'
import { EXIT, UsageError } from '../errors'
import type { Io } from '../io'
import { redactReport } from '../../core/report/redact'
import { renderText } from '../../core/report/text'
import { renderMarkdown } from '../../core/report/markdown'
import { renderHtml } from '../../core/report/html'
import { LokiError, pushToLoki } from '../../core/report/loki'

import { showHelp, showUsage } from '../usage'
import { readReportFile, writeAtomic } from '../reportFile'
export { showUsage }

export async function showCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      md: { type: 'boolean' },
      html: { type: 'string' },
      redact: { type: 'boolean' },
      compare: { type: 'string' },
      loki: { type: 'string' },
      'loki-tenant': { type: 'string' },
      'loki-room': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    true
  )
  if (values.help) {
    io.stdout(showHelp)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'show takes one report file' : `a report file is needed: ${showUsage}`)
  if (values.compare && values.loki) throw new UsageError('--compare and --loki do not go together: push one report at a time')
  if ((values['loki-tenant'] || values['loki-room']) && !values.loki) throw new UsageError('--loki-tenant and --loki-room need --loki URL')
  const file = positionals[0]!
  let report = await readReportFile(file, io)
  if (!report) return EXIT.usage
  if (values.redact) report = redactReport(report)
  if (values.compare) return (await import('./compare')).compareCommand(report, values.compare, values, io)
  io.stdout(values.md ? renderMarkdown(report) : renderText(report))
  if (values.html) {
    const out = values.html
    try {
      await writeAtomic(out, renderHtml(report))
    } catch (err) {
      io.stderr(`peerlens show: cannot write ${out}: ${fileProblem(err)}\n`)
      return EXIT.usage
    }
    io.stderr(`html written to ${out}\n`)
  }
  if (values.loki) {
    try {
      const { lines } = await pushToLoki(report, { url: values.loki, tenant: values['loki-tenant'], room: values['loki-room'] })
      io.stderr(`pushed ${lines} timeline lines to Loki\n`)
    } catch (err) {
      if (!(err instanceof LokiError)) throw err
      io.stderr(`peerlens show: ${err.message}\n`)
      return EXIT.noConnection
    }
  }
  return EXIT.ok
}
