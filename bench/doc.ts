import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

export const BENCH_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url))

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  return `${cpus().length} cores (${cpu.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`
}

export function today(): string {
  return new Date().toISOString().slice(0, 10)
}

/** Replaces (or appends) the section under `## title` in docs/benchmarks.md, leaving the others alone. */
export function writeSection(title: string, body: string): void {
  const header = `## ${title}`
  const text = existsSync(BENCH_DOC)
    ? readFileSync(BENCH_DOC, 'utf8')
    : '# Benchmarks\n\nProduced by `npm run bench`. Each section says when and on what machine it was measured.\n'
  const lines = text.split('\n')
  const start = lines.findIndex((l) => l.trim() === header)
  const section = `${header}\n\n${body.trim()}\n`
  let out: string
  if (start < 0) out = `${text.trimEnd()}\n\n${section}`
  else {
    // A section ends at the next heading: "### " subsections below it come from other runs (stacks, mesh) and stay.
    let end = lines.findIndex((l, i) => i > start && (l.startsWith('## ') || l.startsWith('### ')))
    if (end < 0) end = lines.length
    out = [...lines.slice(0, start), section, ...lines.slice(end)].join('\n')
  }
  writeFileSync(BENCH_DOC, out.trimEnd() + '\n')
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (!sorted.length) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits
