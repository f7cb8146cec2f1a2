// Small formatting helpers shared by the view models.
import type { CandidateRef } from '../../../shared/session'

export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

export function candidateLabel(c: CandidateRef): string {
  return `${c.type} ${c.protocol} ${hostPort(c.address, c.port)}`
}

export function ms(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'not measured'
  return `${value < 10 ? value.toFixed(digits) : Math.round(value)} ms`
}

export function seconds(atMs: number): string {
  return `${(atMs / 1000).toFixed(3)} s`
}

export function bitsPerSecond(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return 'not measured'
  const bits = bytesPerSecond * 8
  if (bits >= 1e9) return `${(bits / 1e9).toFixed(2)} Gbit/s`
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(1)} Mbit/s`
  if (bits >= 1e3) return `${(bits / 1e3).toFixed(0)} kbit/s`
  return `${Math.round(bits)} bit/s`
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}
