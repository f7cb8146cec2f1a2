// Durations, rates and addresses as words: the one rule each for the report, the CLI and the app.

export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value)
}

/** "1.3 ms" (reports, CLI): at most `digits` decimals, "-" when there is no value. */
export function ms(value: number | null | undefined, digits = 1): string {
  if (missing(value)) return '-'
  return `${Number(value.toFixed(digits))} ms`
}

/**
 * "2.0 ms", "41 ms" (the dashboard): a fixed decimal below 10 ms so live values do not jump in
 * width, whole milliseconds above; "not measured" when there is no value.
 */
export function msMeasured(value: number | null | undefined, digits = 1): string {
  if (missing(value)) return 'not measured'
  return `${value < 10 ? value.toFixed(digits) : Math.round(value)} ms`
}

/** "1.25 s" from milliseconds. */
export function seconds(valueMs: number | null | undefined): string {
  if (missing(valueMs)) return '-'
  return `${Number((valueMs / 1000).toFixed(2))} s`
}

/** "1.500 s": a session clock (ms since start) as the timelines show it. */
export function clock(atMs: number): string {
  return `${(atMs / 1000).toFixed(3)} s`
}

/** Bytes per second in bytes (reports): "2.4 MB/s". */
export function rate(bytesPerSecond: number | null | undefined): string {
  if (missing(bytesPerSecond)) return '-'
  if (bytesPerSecond >= 1e6) return `${Number((bytesPerSecond / 1e6).toFixed(1))} MB/s`
  if (bytesPerSecond >= 1e3) return `${Number((bytesPerSecond / 1e3).toFixed(1))} kB/s`
  return `${Math.round(bytesPerSecond)} B/s`
}

/** Bytes per second in bits (the dashboard, as network people read links): "19.2 Mbit/s". */
export function bitsPerSecond(bytesPerSecond: number | null | undefined): string {
  if (missing(bytesPerSecond)) return 'not measured'
  const bits = bytesPerSecond * 8
  if (bits >= 1e9) return `${(bits / 1e9).toFixed(2)} Gbit/s`
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(1)} Mbit/s`
  if (bits >= 1e3) return `${(bits / 1e3).toFixed(0)} kbit/s`
  return `${Math.round(bits)} bit/s`
}

/** "2026-11-25 09:00:06 UTC": reports travel between time zones. */
export function utc(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
