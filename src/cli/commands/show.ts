// `peerlens show REPORT.json`: renders a saved report (summary, Markdown, HTML), optionally
// redacted, optionally pushed to Loki. Unreadable, corrupt or wrong-major files: one line, exit 2.
import { readFile, rename, writeFile } from 'node:fs/promises'
import { parse } from '../args'
import { EXIT, UsageError } from '../errors'
import type { Io } from '../io'
import { loadReport, ReportLoadError } from '../../core/report/load'
import { redactReport } from '../../core/report/redact'
import { renderText } from '../../core/report/text'
import { renderMarkdown } from '../../core/report/markdown'
import { renderHtml } from '../../core/report/html'
import { LokiError, pushToLoki } from '../../core/report/loki'

import { showUsage } from '../usage'
export { showUsage }

const help = `usage: ${showUsage}

Renders a saved report. Without options it prints a summary.
  --md            print a short Markdown summary (for a ticket) instead
  --html OUT      write the whole report as one self-contained HTML file
  --redact        replace public IP addresses with stand-ins (the same address, the same stand-in)
  --compare AFTER.json  compare REPORT.json (before) with AFTER.json: verdict, prediction, NAT types,
                  candidates by type, path metrics, findings that appeared or went away (--md, --html OUT too)
  --loki URL      push the timeline to Grafana Loki (URL of Loki, or of /loki/api/v1/push)
  --loki-tenant T X-Scope-OrgID header;  --loki-room R  room label (default: the report's room)
Exit codes: 0 done, 2 unreadable, corrupt or unsupported report, 3 Loki did not take the push.
`

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
    io.stdout(help)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'show takes one report file' : `a report file is needed: ${showUsage}`)
  if (values.compare && values.loki) throw new UsageError('--compare and --loki do not go together: push one report at a time')
  if ((values['loki-tenant'] || values['loki-room']) && !values.loki) throw new UsageError('--loki-tenant and --loki-room need --loki URL')
  const file = positionals[0]!
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : (e.message.split('\n')[0] ?? 'unreadable')
    io.stderr(`peerlens show: cannot read ${file}: ${why}\n`)
    return EXIT.usage
  }
  let report
  try {
    report = loadReport(text)
  } catch (err) {
    if (!(err instanceof ReportLoadError)) throw err
    io.stderr(`peerlens show: ${file}: ${err.message}\n`)
    return EXIT.usage
  }
  if (values.redact) report = redactReport(report)
  if (values.compare) return (await import('./compare')).compareCommand(report, values.compare, values, io)
  io.stdout(values.md ? renderMarkdown(report) : renderText(report))
  if (values.html) {
    const out = values.html
    try {
      const tmp = `${out}.${process.pid}.tmp`
      await writeFile(tmp, renderHtml(report))
      await rename(tmp, out)
    } catch (err) {
      io.stderr(`peerlens show: cannot write ${out}: ${(err as Error).message.split('\n')[0]}\n`)
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
