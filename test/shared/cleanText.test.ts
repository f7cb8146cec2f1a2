import { describe, expect, it } from 'vitest'
import { cleanBlock, cleanLine, cleanStrings, MAX_LINE_CHARS } from '../../src/shared/cleanText'

describe('cleanLine and cleanBlock', () => {
  it('turn line breaks into a space or a newline and drop every other control', () => {
    expect(cleanLine('a\r\nb\rc\nd\te\u2028f\u0085g\u0000\u001b\u007f\u0080\u009f\u202eh')).toBe('a b c d e f gh')
    expect(cleanBlock('a\r\nb\rc\nd\te\u2028f\u0085g\u0000\u001b\u007f\u0080\u009f\u202eh')).toBe('a\nb\nc\nd\te\nf\ngh')
    expect(cleanLine('plain text, ünïcode ✓')).toBe('plain text, ünïcode ✓')
  })

  it('shortens single-line text only', () => {
    expect(cleanLine('x'.repeat(MAX_LINE_CHARS + 1))).toHaveLength(MAX_LINE_CHARS)
    expect(cleanBlock('x'.repeat(MAX_LINE_CHARS + 1))).toHaveLength(MAX_LINE_CHARS + 1)
  })

  it('cleans keys too, and keeps a __proto__ key a plain key', () => {
    const out = cleanStrings(JSON.parse('{"a\\u001bb":1,"__proto__":{"polluted":true}}') as object) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['ab', '__proto__'])
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
