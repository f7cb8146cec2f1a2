import { REPORT_MAJOR, type Report } from '../../shared/report'
import { reportSchemaError } from './validate'
import { stripCredentials } from './credentials'
import { parseBounded, REPORT_BOUNDS } from './bounds'
import { cleanLine, cleanStrings } from '../../shared/cleanText'

/** A report that cannot be opened; the message is one line, fit for stderr or a dialog. */
export class ReportLoadError extends Error {
  override name = 'ReportLoadError'
}

const SCHEMA_ID = /^peerlens\.report\/v(\d+)(?:\.\d+)*$/

/** Parses and checks a saved report: a v1 report, or a ReportLoadError saying why not in one line. */
export function loadReport(text: string): Report {
  if (!text.trim()) throw new ReportLoadError('the file is empty')
  // Bounded: a file nested 100,000 deep is a clear error here, not a stack overflow later.
  const parsed = parseBounded(text, REPORT_BOUNDS)
  if (!parsed.ok) throw new ReportLoadError(parsed.syntax ? jsonProblem(text, parsed.syntax) : `not a peerlens report (${parsed.problem})`)
  const value = parsed.value
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ReportLoadError('not a peerlens report (the JSON is not an object)')
  const schema = (value as { schema?: unknown }).schema
  if (typeof schema !== 'string') throw new ReportLoadError('not a peerlens report (no "schema" field)')
  const m = SCHEMA_ID.exec(schema)
  if (!m) throw new ReportLoadError(`not a peerlens report (schema ${JSON.stringify(schema.slice(0, 60))})`)
  const major = Number(m[1])
  if (major !== REPORT_MAJOR) {
    throw new ReportLoadError(
      major > REPORT_MAJOR
        ? `report schema ${schema} is newer than this peerlens reads (v${REPORT_MAJOR}): update peerlens to open it`
        : `report schema ${schema} is older than this peerlens reads (v${REPORT_MAJOR})`
    )
  }
  // A report file may come from anyone: its strings are cleaned like a peer's half (src/shared/cleanText.ts).
  const cleaned = cleanStrings(value)
  const error = reportSchemaError(cleaned)
  if (error) throw new ReportLoadError(`the report does not have the v${REPORT_MAJOR} shape: ${error}`)
  return stripCredentials(cleaned as Report)
}

function jsonProblem(text: string, err: Error): string {
  const message = err.message.split('\n')[0] ?? ''
  // V8 says "Unexpected end of JSON input" or "Unterminated string..." when the text stops early.
  const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN)
  if (/end of JSON input|Unterminated/i.test(message) || position >= text.trimEnd().length) {
    return 'the report is truncated (the JSON stops early)'
  }
  // V8 quotes the text around the error, and the file may hold terminal escapes.
  return `the report is not valid JSON (${cleanLine(message).slice(0, 120)})`
}
