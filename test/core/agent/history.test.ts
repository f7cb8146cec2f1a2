import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { History, dataDir, newestLines, readHistory } from '../../../src/core/agent/history'
import type { PairRecord } from '../../../src/shared/mesh/record'
import { tempDir } from '../../helpers/tempDir'

const rec = (i: number, peer = 'bob'): PairRecord => ({
  kind: 'pair',
  at: new Date(i * 1000).toISOString(),
  self: 'alice',
  peer,
  role: 'host',
  verdict: i % 2 ? 'direct' : 'relayed',
  reason: 'r'.repeat(50),
  prediction: null,
  rttMs: i,
  nat: { self: null, peer: null },
  publicAddress: { self: null, peer: null },
  findings: [],
  trigger: 'interval'
})

describe('history trimming (newestLines)', () => {
  const cases: Array<[string, string, number, string]> = [
    ['all fits', 'a\nbb\n', 100, 'a\nbb\n'],
    ['keeps the newest whole lines', 'aaaa\nbb\ncc\n', 6, 'bb\ncc\n'],
    ['a budget below one line keeps nothing', 'aaaa\n', 3, ''],
    ['skips blank lines', 'a\n\n\nb\n', 4, 'a\nb\n']
  ]
  for (const [name, text, budget, kept] of cases) it(name, () => expect(newestLines(text, budget)).toBe(kept))
})

describe('History', () => {
  it('appends JSON Lines and stays within its bound, dropping the oldest', () => {
    const file = join(tempDir('history'), 'sub', 'h.jsonl')
    const h = new History(file, () => {}, 4000)
    for (let i = 0; i < 100; i++) expect(h.append(rec(i))).toBe(true)
    const text = readFileSync(file, 'utf8')
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4000)
    const lines = readHistory(text)
    expect(lines.at(-1)).toEqual(rec(99))
    expect((lines[0] as PairRecord).rttMs).toBeGreaterThan(50)
    expect(existsSync(file + '.tmp')).toBe(false)
    // The latest per peer survives a restart.
    h.append(rec(100, 'carol'))
    const again = new History(file, () => {})
    expect(again.latest().get('bob')?.rttMs).toBe(99)
    expect(again.latest().get('carol')?.rttMs).toBe(100)
  })

  it('skips corrupt lines (a crash mid-write)', () => {
    const file = join(tempDir('history'), 'h.jsonl')
    writeFileSync(file, JSON.stringify(rec(1)) + '\n{"kind":"pair","at":\n' + JSON.stringify(rec(2)) + '\n')
    expect(readHistory(readFileSync(file, 'utf8')).length).toBe(2)
  })

  it.skipIf(!existsSync('/dev/full'))('a full disk is one clear warning, never a crash', () => {
    const warnings: string[] = []
    const h = new History('/dev/full', (w) => warnings.push(w))
    // Reading /dev/full gives zeros forever: it is not read.
    expect(h.latest().size).toBe(0)
    expect(h.append(rec(1))).toBe(false)
    expect(h.append(rec(2))).toBe(false)
    expect(warnings).toEqual(['warning: cannot write history /dev/full: no space left on the device; the agent runs on without it'])
  })

  it('an unwritable folder is a warning too', () => {
    const dir = tempDir('history')
    writeFileSync(join(dir, 'file'), '')
    const warnings: string[] = []
    expect(new History(join(dir, 'file', 'h.jsonl'), (w) => warnings.push(w)).append(rec(1))).toBe(false)
    expect(warnings[0]).toMatch(/cannot write history .*: a part of the path is not a folder/)
  })

  it('lives in the user\'s data folder by default', () => {
    expect(dataDir({ XDG_DATA_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/peerlens')
    expect(dataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/peerlens')
    expect(dataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/peerlens')
  })
})
