// Limits on JSON that comes from somewhere else: the other side's report half, or a report file.
// JSON.parse itself copes with any nesting, but everything that walks the value afterwards
// (credential stripping, JSON.stringify, the renderers) recurses, so 100,000 nested arrays in a
// 229 KB half would overflow the stack. Everything here is iterative: it never recurses itself.

import { cleanLine } from '../../shared/cleanText'

export interface Bounds {
  /** Characters of JSON text. */
  maxChars: number
  /** Arrays and objects inside each other (the top level is depth 1). */
  maxDepth: number
  /** Values of any kind, keys included: bounds the work of every later walk. */
  maxValues: number
  /** Characters in one string (single-line fields are shortened further when cleaned). */
  maxStringChars: number
}

const MiB = 1024 * 1024

/**
 * A half is at most what the data channel protocol carries (256 chunks of 16 KiB characters,
 * src/shared/probe.ts). A real half nests about 12 deep (a VPN client's JSON status inside
 * system facts is the deepest part), so 32 leaves room for any later addition.
 */
export const HALF_BOUNDS: Bounds = { maxChars: 4 * MiB, maxDepth: 32, maxValues: 1_000_000, maxStringChars: MiB }

/** A report holds two halves a level or two down, and its timeline repeats their events. */
export const REPORT_BOUNDS: Bounds = { maxChars: 64 * MiB, maxDepth: 36, maxValues: 8_000_000, maxStringChars: MiB }

/** Nesting of JSON text, counted without parsing it: the first problem in one line, or null. */
export function textBoundsProblem(text: string, bounds: Bounds): string | null {
  if (text.length > bounds.maxChars) return `larger than ${describeChars(bounds.maxChars)}`
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // a backslash: the next character is escaped
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return null
}

/** The same limits on a value already parsed (or handed over in memory): the first problem, or null. */
export function valueBoundsProblem(value: unknown, bounds: Bounds): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]]
  let values = 0
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (++values > bounds.maxValues) return `more than ${bounds.maxValues} values`
    if (typeof v === 'string') {
      if (v.length > bounds.maxStringChars) return `a string longer than ${describeChars(bounds.maxStringChars)}`
      continue
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return 'a number that is not finite'
    if (!v || typeof v !== 'object') continue
    if (depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1])
      continue
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.length > bounds.maxStringChars) return `a key longer than ${describeChars(bounds.maxStringChars)}`
      values++
      stack.push([item, depth + 1])
    }
  }
  return null
}

export type BoundedParse = { ok: true; value: unknown } | { ok: false; problem: string; syntax?: Error }

/** JSON.parse with the bounds checked first on the text and then on the value. */
export function parseBounded(text: string, bounds: Bounds): BoundedParse {
  const before = textBoundsProblem(text, bounds)
  if (before) return { ok: false, problem: before }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    // V8 quotes the text around the error: it is cleaned like any string from outside.
    return { ok: false, problem: `not valid JSON (${cleanLine((err as Error).message.split('\n')[0] ?? '').slice(0, 120)})`, syntax: err as Error }
  }
  const after = valueBoundsProblem(value, bounds)
  return after ? { ok: false, problem: after } : { ok: true, value }
}

function describeChars(n: number): string {
  return n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} characters`
}
