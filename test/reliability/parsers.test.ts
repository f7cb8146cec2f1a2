// Hostile input against the parsers that read bytes from outside: the STUN parser (every UDP
// datagram that reaches a socket), the report loader (files people send each other) and the
// acceptance of the other side's report half (what a hostile peer sends over the data channel).
// Each must answer every input with a result or a one-line reason, never an exception of its own.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildBindingRequest, parseStunPacket } from '../../src/core/werift/stunCodec'
import { loadReport, ReportLoadError } from '../../src/core/report/load'
import { fixtureReport } from '../core/report/fixture'
import { acceptPeerSide, describeSide } from '../../src/core/report/side'
import { buildReport } from '../../src/core/report/build'
import { reportSchemaError } from '../../src/core/report/validate'
import { goodHalf, HOSTILE_HALVES } from '../core/report/hostileHalves'
import type { SessionResult } from '../../src/shared/session'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/tempDir'

const counts = { stun: 0, stunRejected: 0, report: 0, reportRejected: 0, half: 0, halfRefused: 0 }

/** A mutated copy: flip, set, cut or extend bytes, or lie in the length field. */
const mutation = (base: Buffer) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('grow' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
        fc.record({ kind: fc.constant('length' as const), value: fc.integer({ min: 0, max: 0xffff }) })
      ),
      { minLength: 1, maxLength: 6 }
    )
    .map((steps) => {
      let b = Buffer.from(base)
      for (const s of steps) {
        if (s.kind === 'flip' && b.length) b[s.at % b.length]! ^= 1 << s.bit
        if (s.kind === 'set' && b.length) b[s.at % b.length] = s.value
        if (s.kind === 'cut') b = b.subarray(0, s.at % (b.length + 1))
        if (s.kind === 'grow') b = Buffer.concat([b, Buffer.from(s.bytes)])
        if (s.kind === 'length' && b.length >= 4) b.writeUInt16BE(s.value, 2)
      }
      return b
    })

function checkStun(bytes: Buffer): boolean {
  counts.stun++
  const result = parseStunPacket(bytes)
  if (!result.ok) {
    counts.stunRejected++
    return typeof result.reason === 'string' && result.reason.length > 0 && !result.reason.includes('\n')
  }
  return typeof result.message.kind === 'string'
}

describe('STUN parser against hostile datagrams', () => {
  it('answers random bytes and mutated Binding requests with a result or a one-line reason', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => checkStun(Buffer.from(b))), { numRuns: 3000, seed: 1 })
    const requests = [buildBindingRequest().bytes, buildBindingRequest({ changeIp: true, changePort: true }).bytes, buildBindingRequest({ responsePort: 40000 }).bytes]
    for (const request of requests) fc.assert(fc.property(mutation(request), checkStun), { numRuns: 2000, seed: 2 })
    expect(counts.stun).toBe(9000)
    // Most mutations break something the parser checks; some survive as valid packets.
    expect(counts.stunRejected).toBeGreaterThan(4000)
    console.log(`STUN parser: ${counts.stun} hostile datagrams, ${counts.stunRejected} rejected with a reason, none thrown`)
  })
})

function checkReport(text: string): boolean {
  counts.report++
  try {
    const report = loadReport(text)
    return typeof report === 'object' && report !== null
  } catch (err) {
    counts.reportRejected++
    if (!(err instanceof ReportLoadError)) throw new Error(`loadReport threw ${String(err)} for ${text.slice(0, 80)}`, { cause: err })
    // eslint-disable-next-line no-control-regex
    return err.message.length > 0 && err.message.length < 400 && !/[\u0000-\u001f\u007f-\u009f]/.test(err.message)
  }
}

describe('report loader against hostile files', () => {
  const good = JSON.stringify(fixtureReport())

  it('answers truncations, byte changes and bad values with a report or a one-line reason', () => {
    const base = Buffer.from(good)
    fc.assert(fc.property(mutation(base), (b) => checkReport(b.toString('utf8'))), { numRuns: 1500, seed: 3 })
    // Replace one value anywhere in the tree with something of the wrong type.
    const paths: string[][] = []
    const walk = (v: unknown, path: string[]): void => {
      paths.push(path)
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k])
    }
    walk(JSON.parse(good), [])
    const wrong = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.constant([]), fc.constant({ __proto__: { polluted: true } }), fc.constant(1e308))
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length)), wrong, (path, value) => {
        const doc = JSON.parse(good) as Record<string, unknown>
        let at: Record<string, unknown> = doc
        for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>
        at[path[path.length - 1]!] = value
        return checkReport(JSON.stringify(doc))
      }),
      { numRuns: 1500, seed: 4 }
    )
    const special = [
      '',
      '\uFEFF' + good,
      '['.repeat(100_000) + ']'.repeat(100_000),
      JSON.stringify({ schema: 'peerlens.report/v1', pad: 'x'.repeat(5_000_000) }),
      JSON.stringify({ schema: 'peerlens.report/v99' }),
      '{"__proto__":{"schema":"peerlens.report/v1"}}',
      good.replace('"schema"', '"__proto__":{"polluted":1},"schema"'),
      'null',
      '"peerlens.report/v1"'
    ]
    for (const text of special) expect(checkReport(text), text.slice(0, 40)).toBe(true)
    // Prototype pollution through a report would show up on every object.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    console.log(`report loader: ${counts.report} hostile files, ${counts.reportRejected} rejected with a reason, none thrown`)
  })

  it('peerlens show refuses broken files with exit 2 and one line', async () => {
    const dir = tempDir('hostile')
    const nested = JSON.stringify(fixtureReport()).replace('"events":[', '"events":[{"kind":"x","atMs":1,"deep":' + '['.repeat(100_000) + ']'.repeat(100_000) + '},')
    const files = { truncated: good.slice(0, good.length / 2), deep: '['.repeat(50_000), binary: '\u0000\u00ff\u0001', nested }
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text)
      const r = await runCli(['show', join(dir, name)])
      expect(r.code, name).toBe(2)
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1)
      expect(r.stderr, name).not.toMatch(/internal error/)
    }
  })
})

/** The host's own result: the other side's half goes into a report built around it. */
function hostResult(): SessionResult {
  return {
    role: 'host',
    verdict: 'direct',
    reason: 'connected',
    selectedPair: null,
    rttMs: 1,
    startedAt: '2026-11-25T09:00:00.000Z',
    connectedAfterMs: 10,
    localCandidates: [],
    remoteCandidates: [],
    pairs: [],
    events: [{ kind: 'phase', atMs: 0, phase: 'signaling' }]
  }
}

/** A half goes in; a side (present, or missing with a one-line why) and a valid report come out. */
function checkHalf(half: unknown): boolean {
  counts.half++
  const side = acceptPeerSide(half, 'join')
  if (side.missing) {
    counts.halfRefused++
    // eslint-disable-next-line no-control-regex
    if (side.why.includes('\n') || /[\u0000-\u001f\u007f-\u009f]/.test(side.why) || side.why.length > 400) return false
  }
  const r = hostResult()
  const report = buildReport(r, describeSide(r, 'host'), side, new Date('2026-11-25T09:00:05.000Z'))
  JSON.stringify(report)
  return reportSchemaError(report) === null
}

describe("the other side's report half from a hostile peer", () => {
  it('answers every half with a side or a missing side with why, and the report is always written', () => {
    for (const h of HOSTILE_HALVES) expect(checkHalf(h.half()), h.name).toBe(true)
    const good = JSON.stringify(goodHalf())
    // Byte-level mutations of the half as it travels (JSON text).
    fc.assert(fc.property(mutation(Buffer.from(good)), (b) => checkHalf(b.toString('utf8'))), { numRuns: 1000, seed: 5 })
    // One value anywhere replaced by something hostile.
    const paths: string[][] = []
    const walk = (v: unknown, path: string[]): void => {
      paths.push(path)
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k])
    }
    walk(JSON.parse(good), [])
    const hostile = fc.oneof(
      fc.constantFrom(1e17, -1e17, 1.7e308, -1, 65536, 0.5, null, [], {}, '', '\u001b]0;PWNED\u0007\u001b[2J', 'a\r\n<img src=x onerror=alert(1)>', '2026-13-45T99:99:99Z'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.double(),
      fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
      fc.constant({ __proto__: { polluted: true } })
    )
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length)), hostile, (path, value) => {
        const doc = JSON.parse(good) as Record<string, unknown>
        let at: Record<string, unknown> = doc
        for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>
        at[path[path.length - 1]!] = value
        return checkHalf(doc)
      }),
      { numRuns: 2000, seed: 6 }
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    console.log(`report halves: ${counts.half} hostile halves, ${counts.halfRefused} refused as a missing side with why, the rest accepted cleaned; a report written every time, none thrown`)
  })
})
