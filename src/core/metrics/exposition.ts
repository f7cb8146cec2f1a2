// The Prometheus text exposition format (version 0.0.4): one HELP and TYPE line per family, then
// its samples. Names and labels follow the conventions: snake_case, a unit suffix, _total on counters.

export type MetricType = 'counter' | 'gauge'

export interface Sample {
  labels?: Record<string, string>
  value: number
}

export interface Family {
  name: string
  help: string
  type: MetricType
  samples: Sample[]
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export function exposition(families: Family[]): string {
  const lines: string[] = []
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`bad metric name ${JSON.stringify(f.name)}`)
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`)
    for (const s of f.samples) lines.push(`${f.name}${labels(s.labels)} ${number(s.value)}`)
  }
  return lines.join('\n') + '\n'
}

function labels(set: Record<string, string> | undefined): string {
  const entries = Object.entries(set ?? {})
  if (!entries.length) return ''
  return `{${entries
    .map(([k, v]) => {
      if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`bad label name ${JSON.stringify(k)}`)
      return `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`
    })
    .join(',')}}`
}

function number(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}
