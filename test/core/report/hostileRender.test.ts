// Issue 15 #7: hostile strings in every free-text field of a report (a peer's name, its NAT's reason,
// a route's interface, an event's message...) must not put raw HTML, a link with a script scheme or a
// line break of their own into the Markdown summary people paste into tickets, nor control characters
// into the terminal summary, nor a tag or an attribute into the HTML report. The renderers get the
// strings raw, not cleaned as loadReport would: each output escapes for itself.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fixtureReport } from './fixture'
import { renderMarkdown } from '../../../src/core/report/markdown'
import { renderText } from '../../../src/core/report/text'
import { renderHtml } from '../../../src/core/report/html'
import { reportSchemaError } from '../../../src/core/report/validate'
import type { Report } from '../../../src/shared/report'

type Path = Array<string | number>

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

function stringPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (typeof value === 'string') out.push(path)
  else if (Array.isArray(value)) value.forEach((v, i) => stringPaths(v, [...path, i], out))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringPaths(v, [...path, k], out)
  return out
}

function setAt(root: unknown, path: Path, value: string): void {
  let node = root as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path[path.length - 1]!] = value
}

const SAMPLE = 'a\n<img src=x onerror=alert(1)>\r[x](javascript:alert(1))\u001b[2J'

/** Every string field a valid report may hold any text in (enums, addresses and times have a shape). */
const FREE: Path[] = stringPaths(fixtureReport()).filter((path) => {
  const r = fixtureReport()
  setAt(r, path, SAMPLE)
  return reportSchemaError(r) === null
})

// Whatever follows a line break we insert starts with ZQ: a line of the output starting with it is a
// line break that got through.
const hostilePart = fc.oneof(
  fc.constantFrom(
    '\nZQ',
    '\rZQ',
    '\r\nZQ',
    '\u2028ZQ',
    '\u0085ZQ',
    '\n# ZQ heading',
    '\n- ZQ finding',
    '\n| ZQ | cell |',
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '</td><svg onload=alert(1)>',
    '"><a href="javascript:alert(1)">',
    "' onmouseover='alert(1)",
    '[click](javascript:alert(1))',
    '![x](data:text/html,<b>x</b>)',
    '<javascript:alert(1)>',
    '<https://evil.example>',
    'JaVaScRiPt:alert(1)',
    '[ref]: javascript:alert(1)',
    '`code` | pipe',
    '&lt;img src=x&gt;',
    '\\',
    '# ',
    '- ',
    '1. ',
    '> ',
    '\u001b]0;PWNED\u0007',
    '\u001b[2J',
    '\u001b]52;c;cHduZWQ=\u0007',
    '\u009b31m',
    '\u0007\u0008\u007f'
  ),
  fc.string({ unit: 'binary', maxLength: 12 })
)
const hostile = fc.array(hostilePart, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''))

function hostileReport(values: string[]): Report {
  const r = fixtureReport()
  FREE.forEach((path, i) => setAt(r, path, values[i % values.length]!))
  return r
}

/** The text with Markdown escapes and code spans taken out: what is left is what Markdown reads as markup. */
function markup(line: string): string {
  let out = ''
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\\') {
      i++
      out += '_'
    } else if (c === '`') {
      const end = line.indexOf('`', i + 1)
      if (end < 0) return out + line.slice(i)
      out += '_'
      i = end
    } else out += c
  }
  return out
}

const LINE_STARTS = [
  '### peerlens: ',
  '**Verdict:** ',
  '**Selected pair:** ',
  '**Prediction:** ',
  '**Timing:** ',
  '**Attempts:** ',
  '| | host | joiner |',
  '|---|---|---|',
  '| Machine | ',
  '| peerlens | ',
  '| NAT (IPv4) | ',
  '| Public address | ',
  '| Candidates | ',
  '| Route to peer | ',
  '| Path MTU | ',
  '| Network | ',
  '**What to do next**',
  ...Array.from({ length: 9 }, (_, i) => `${i + 1}. `),
  "The host's half is missing: ",
  "The joiner's half is missing: ",
  '- **direct path:** ',
  '- **relay path:** ',
  '- **UDP port ',
  '  - ',
  '- **relay overhead:** ',
  '**Findings**',
  '- ',
  '_Report written by the '
]

describe('rendering hostile strings', () => {
  it('finds free-text fields to fill all over the report', () => {
    expect(FREE.length, FREE.map((p) => p.join('.')).join(' ')).toBeGreaterThan(30)
    const keys = new Set(FREE.map((p) => p[p.length - 1]))
    for (const k of ['name', 'reason', 'version', 'interface']) expect(keys, k).toContain(k)
  })

  it('Markdown: no raw HTML tag, no link, no line break or table cell of their own', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 8 }), (values) => {
        const md = renderMarkdown(hostileReport(values))
        const lines = md.split('\n')
        expect(lines.pop()).toBe('')
        for (const line of lines) {
          expect(line, 'a line break got through').not.toMatch(/^\s*ZQ/)
          expect(line === '' || LINE_STARTS.some((s) => line.startsWith(s)), line).toBe(true)
          expect(line, 'a control character').not.toMatch(CONTROL)
          const m = markup(line)
          expect(m, 'raw HTML').not.toMatch(/<[A-Za-z/!?]/)
          expect(m, 'a link or image').not.toMatch(/[[\]]/)
          expect(m, 'a script or other non-http scheme').not.toMatch(/(javascript|vbscript|data|file|mailto|xmpp)\s*:/i)
          if (line.startsWith('|')) expect(m.split('|').length, `table cells: ${line}`).toBe(5)
        }
      }),
      { numRuns: 60 }
    )
  })

  it('text summary: no C0 or C1 control character, no line of their own', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 8 }), (values) => {
        const text = renderText(hostileReport(values))
        expect(text.replace(/\n/g, ''), 'a control character').not.toMatch(CONTROL)
        for (const line of text.split('\n')) expect(line, 'a line break got through').not.toMatch(/^\s*ZQ/)
      }),
      { numRuns: 60 }
    )
  })

  it('HTML: only the report\'s own tags, no event handler, no link out', () => {
    const TAGS = /^(!doctype|html|head|meta|title|style|body|header|main|footer|section|nav|h[1-4]|p|div|span|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|wbr|br|b|i|strong|em|code|pre|details|summary|svg|g|line|rect|circle|path|polyline|polygon|text|tspan|a)$/i
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (values) => {
        const html = renderHtml(hostileReport(values))
        for (const m of html.matchAll(/<\/?([!A-Za-z][\w-]*)([^>]*)>/g)) {
          expect(m[1], m[0]).toMatch(TAGS)
          // Attributes: name="value" only, values without a raw quote, no on* handler, links only to #.
          const attrs = m[2]!.replace(/\s+[\w:-]+="[^"]*"/g, '').replace(/\s+[\w:-]+='[^']*'/g, '').replace(/\s*\/$/, '').trim()
          if (m[1]!.toLowerCase() !== '!doctype') expect(attrs, m[0]).toBe('')
          for (const [, name, value] of m[2]!.matchAll(/\s([\w:-]+)=("[^"]*"|'[^']*')/g)) {
            expect(name, m[0]).not.toMatch(/^on/i)
            if (/^(href|src|xlink:href|action|formaction)$/i.test(name!)) expect(value, m[0]).toMatch(/^["']#/)
          }
        }
      }),
      { numRuns: 15 }
    )
  })
})
