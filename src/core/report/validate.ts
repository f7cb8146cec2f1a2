// Checks a value against src/shared/report.schema.json (the one contract for every report),
// generated from src/shared/reportSchema/ by `npm run schema`.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import schema from '../../shared/report.schema.json'
import { ADDRESS_PATTERN, isoTime } from '../../shared/reportSchema/common'

const SIDE_REF = `${schema.$id}#/$defs/sideReport`

let compiled: { report: ValidateFunction; side: ValidateFunction } | undefined

// Compiling takes a few tens of ms: only when a report is first checked.
function validators(): { report: ValidateFunction; side: ValidateFunction } {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, allErrors: false })
    ajv.addSchema(schema)
    compiled = { report: ajv.getSchema(schema.$id)!, side: ajv.compile({ $ref: SIDE_REF }) }
  }
  return compiled
}

/** One line saying what is wrong first, e.g. "/sides/0/role must be one of host, join". */
export function describeSchemaError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0]
  if (!e) return 'does not match the schema'
  const where = e.instancePath || '(top level)'
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
  if (e.keyword === 'pattern') return `${where} ${patternWords((e.params as { pattern: string }).pattern)}`
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
  return `${where} ${e.message ?? 'is wrong'}`
}

const ISO_TIME_PATTERN = (isoTime() as { pattern?: string }).pattern

/** What a pattern asks for in words: the address and time patterns are too long to quote. */
function patternWords(pattern: string): string {
  if (pattern === ADDRESS_PATTERN) return 'must be an IP address or an mDNS .local name'
  if (pattern === ISO_TIME_PATTERN) return 'must be an ISO 8601 time between 1970 and 2100'
  return pattern.length <= 60 ? `must match pattern "${pattern}"` : 'has the wrong form'
}

/** null when the value is a v1 report, else one line saying why not. */
export function reportSchemaError(value: unknown): string | null {
  const v = validators().report
  return v(value) ? null : describeSchemaError(v.errors)
}

/** null when the value is one side's half of a v1 report, else one line saying why not. */
export function sideSchemaError(value: unknown): string | null {
  const v = validators().side
  return v(value) ? null : describeSchemaError(v.errors)
}
