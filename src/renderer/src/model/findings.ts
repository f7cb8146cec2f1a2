// The report's findings (src/shared/diagnosis), ranked worst first, each pointing at the card on
// the page that holds its evidence.
import { findings } from '../../../shared/diagnosis/findings'
import type { Report } from '../../../shared/report'

export interface FindingRow {
  level: 'bad' | 'warn' | 'info'
  text: string
  /** The id of the card holding the evidence, and what to call the link. */
  evidence: { id: string; label: string }
  /** What to change, and the measurement that says so (src/shared/diagnosis/remedies.ts), when there is a remedy. */
  remedy?: { action: string; rests: string }
}

const RANK = { bad: 0, warn: 1, info: 2 } as const

const EVIDENCE: Array<[RegExp, string, string]> = [
  [/prediction/i, 'card-prediction', 'prediction'],
  [/UDP port|MTU|could not use|server/i, 'card-checks', 'server and port checks'],
  [/candidate|VPN|route|tunnel/i, 'card-candidates', 'candidates'],
  [/round trip|throughput|relay/i, 'card-metrics', 'path metrics'],
  [/clock|half of the report|version/i, 'card-timeline', 'timeline']
]

export function findingRows(report: Report | undefined): FindingRow[] {
  if (!report) return []
  return findings(report)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.level] - RANK[b.f.level] || a.i - b.i)
    .map(({ f }) => {
      const hit = EVIDENCE.find(([re]) => re.test(f.text))
      const row: FindingRow = { level: f.level, text: f.text, evidence: hit ? { id: hit[1], label: hit[2] } : { id: 'card-verdict', label: 'verdict' } }
      if (f.remedy) row.remedy = { action: f.remedy.action, rests: f.remedy.evidence }
      return row
    })
}
