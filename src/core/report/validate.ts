// Checks a value against src/shared/report.schema.json (the one contract for every report),
// generated from src/shared/reportSchema/ by `npm run schema`.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import schema from '../../shared/report.schema.json'

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
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
  return `${where} ${e.message ?? 'is wrong'}`
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
