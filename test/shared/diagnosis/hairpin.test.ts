import { describe, expect, it } from 'vitest'
import { hairpinNote } from '../../../src/shared/diagnosis/hairpin'
import type { CandidateRef } from '../../../src/shared/session'

const c = (type: CandidateRef['type'], address: string): CandidateRef => ({ type, protocol: 'udp', address, port: 1 })

describe('hairpinNote', () => {
  it("names the router's hairpin when the other side's address is our own public address", () => {
    expect(hairpinNote({ local: c('host', '10.1.0.2'), remote: c('srflx', '203.0.113.11') }, ['203.0.113.11'])).toBe(", through the router's hairpin (203.0.113.11 is this side's own public address too)")
    expect(hairpinNote({ local: c('host', '10.1.0.2'), remote: c('prflx', '203.0.113.11') }, ['203.0.113.11'])).toMatch(/hairpin/)
  })
  it('says nothing otherwise', () => {
    expect(hairpinNote({ local: c('host', '10.1.0.2'), remote: c('srflx', '203.0.113.11') }, ['198.51.100.1'])).toBe('')
    expect(hairpinNote({ local: c('host', '10.1.0.2'), remote: c('host', '203.0.113.11') }, ['203.0.113.11'])).toBe('')
    expect(hairpinNote(null, ['203.0.113.11'])).toBe('')
  })
})
