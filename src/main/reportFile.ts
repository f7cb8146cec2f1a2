// Reading a saved report for "Open report". The report module (issue 7) will own full schema
// validation; until then this checks enough that the dashboard can show the file safely, and
// every failure is one plain line.
import { z } from 'zod'
import { REPORT_SCHEMA, type Report } from '../shared/report'

export const MAX_REPORT_BYTES = 32 * 1024 * 1024

const endpointish = z.object({ type: z.string(), protocol: z.string(), address: z.string(), port: z.number() })
const side = z.union([
  z.object({ role: z.enum(['host', 'join']), missing: z.literal(true), why: z.string() }),
  z.object({
    role: z.enum(['host', 'join']),
    startedAt: z.string(),
    verdict: z.enum(['direct', 'relayed', 'failed']),
    candidates: z.object({ local: z.array(z.unknown()), remote: z.array(z.unknown()) }),
    pairs: z.array(z.unknown()),
    events: z.array(z.unknown())
  })
])
const reportShape = z.object({
  schema: z.string(),
  createdAt: z.string(),
  writtenBy: z.enum(['host', 'join']),
  sides: z.tuple([side, side]),
  connection: z.object({
    verdict: z.enum(['direct', 'relayed', 'failed']),
    reason: z.string(),
    selectedPair: z.object({ local: endpointish, remote: endpointish }).nullable()
  }),
  timeline: z.array(z.unknown())
})

export function parseReport(text: string): Report {
  if (text.length > MAX_REPORT_BYTES) throw new Error('not a peerlens report: the file is too large')
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new Error('not a peerlens report: the file is not JSON (corrupt or truncated?)')
  }
  const schema = (raw as { schema?: unknown } | null)?.schema
  if (typeof schema !== 'string' || !schema.startsWith('peerlens.report/')) throw new Error('not a peerlens report: no "schema" field')
  const major = /^peerlens\.report\/v(\d+)/.exec(schema)?.[1]
  const ours = /v(\d+)$/.exec(REPORT_SCHEMA)![1]
  if (major !== ours) throw new Error(`this report is ${schema}; this version of peerlens reads ${REPORT_SCHEMA}`)
  const parsed = reportShape.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`not a valid peerlens report: ${issue.path.join('.') || 'top level'}: ${issue.message}`)
  }
  return raw as Report
}
