// The schema as tests use it: every object that lists its properties also forbids others, so a
// field the code writes but the schema does not know (or a typo) fails a test. Readers stay
// lenient (src/core/report/validate.ts): a newer v1 report with added fields still opens.
import Ajv2020 from 'ajv/dist/2020.js'
import schema from '../../../src/shared/report.schema.json'

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify)
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' || k === '$defs' ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, strictify(pv)])) : strictify(v)
  if (out.type === 'object' && out.properties && !('additionalProperties' in out)) out.additionalProperties = false
  return out
}

const ajv = new Ajv2020({ strict: true, strictTypes: false, strictTuples: false, allErrors: true })
const validate = ajv.compile(strictify(schema) as object)

/** Every schema complaint about a report, as "path message" lines (empty: valid). */
export function strictReportErrors(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
}
