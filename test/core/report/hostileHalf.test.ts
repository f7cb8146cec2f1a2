// Issue 15 items 5 and 7: the other side's half is untrusted. Whatever it holds, acceptPeerSide
// answers with a side (present and cleaned, or missing with why) and buildReport writes a report
// that validates; nothing throws.
import { describe, expect, it } from 'vitest'
import { acceptPeerSide, describeSide } from '../../../src/core/report/side'
import { buildReport } from '../../../src/core/report/build'
import { reportSchemaError } from '../../../src/core/report/validate'
import { MAX_LINE_CHARS } from '../../../src/shared/cleanText'
import { HIDDEN_ADDRESS } from '../../../src/joinpage/stats'
import type { SessionResult } from '../../../src/shared/session'
import type { Side, SideReport } from '../../../src/shared/report'
import { ESCAPES, goodHalf, HOSTILE_HALVES } from './hostileHalves'

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/

function hostResult(): SessionResult {
  return {
    role: 'host',
    verdict: 'direct',
    reason: 'connected',
    selectedPair: null,
    rttMs: 1,
    startedAt: '2026-11-25T09:00:00.000Z',
    connectedAfterMs: 10,
    localCandidates: [{ type: 'host', protocol: 'udp', address: '127.0.0.1', port: 5000, priority: 1, foundation: 'f', component: 1, atMs: 5 }],
    remoteCandidates: [],
    pairs: [],
    events: [{ kind: 'phase', atMs: 0, phase: 'signaling' }]
  }
}

/** Every string (and key) with the path it sits at. */
function strings(value: unknown, path = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value])
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([`${path}/${k} (key)`, k])
      strings(v, `${path}/${k}`, out)
    }
  }
  return out
}

function writeWith(peer: Side) {
  const r = hostResult()
  const report = buildReport(r, describeSide(r, 'host'), peer, new Date('2026-11-25T09:00:05.000Z'))
  expect(reportSchemaError(report)).toBeNull()
  JSON.stringify(report)
  return report
}

describe('acceptPeerSide against hostile halves', () => {
  it('accepts a good half as it is, as a value and as the JSON text it was sent as', () => {
    expect(acceptPeerSide(goodHalf(), 'join')).toEqual(goodHalf())
    expect(acceptPeerSide(JSON.stringify(goodHalf()), 'join')).toEqual(goodHalf())
  })

  it.each(HOSTILE_HALVES.map((h) => [h.name, h] as const))('%s: the side is %s and the report is still written', (_name, h) => {
    const side = acceptPeerSide(h.half(), 'join')
    if (h.outcome === 'refused') {
      expect(side).toEqual({ role: 'join', missing: true, why: expect.stringMatching(h.why!) })
    } else {
      expect(side.missing).toBeFalsy()
    }
    if (side.missing) {
      expect(side.why).not.toMatch(CONTROL)
      expect(side.why.length).toBeLessThan(400)
    }
    const report = writeWith(side)
    // No control character survives anywhere, except line breaks and tabs in a VPN status output.
    for (const [path, text] of strings(report)) {
      const block = /\/system\/vpn\/\d+\/output/.test(path) && !path.endsWith('(key)')
      expect(block ? text.replace(/[\n\t]/g, '') : text, path).not.toMatch(CONTROL)
      if (!block) expect(text.length, path).toBeLessThanOrEqual(MAX_LINE_CHARS)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('cleans escapes out of names, versions and reasons instead of refusing them', () => {
    const side = acceptPeerSide({ ...goodHalf(), name: ESCAPES, app: { name: 'peerlens', version: ESCAPES }, reason: ESCAPES }, 'join') as SideReport
    expect(side.name).toBe('a]0;PWNED[2J31m b cd')
    expect(side.app.version).toBe(side.name)
    expect(side.reason).toBe(side.name)
  })

  it('keeps the lines of a VPN status output, without the escapes', () => {
    const half = goodHalf()
    const side = acceptPeerSide({ ...half, system: { ...half.system!, vpn: [{ tool: 'wg', command: 'wg show', ok: true, exitCode: 0, output: `a\r\n\tb\rc${ESCAPES}` }] } }, 'join') as SideReport
    expect(side.system!.vpn[0]!.output).toBe('a\n\tb\nca]0;PWNED[2J31m\nb\tcd')
  })

  it('shortens a long single-line field', () => {
    const side = acceptPeerSide({ ...goodHalf(), name: 'n'.repeat(100_000) }, 'join') as SideReport
    expect(side.name).toHaveLength(MAX_LINE_CHARS)
    expect(side.name.endsWith('…')).toBe(true)
  })

  it('accepts what a browser joiner sends as addresses: mDNS names and the hidden stand-in', () => {
    const half = goodHalf()
    const local = { ...half.candidates.local[0]!, address: '5b2a3c4d-1e2f-4a5b-8c9d-0e1f2a3b4c5d.local' }
    const pair = { local: { ...half.selectedPair!.local, address: 'fe80::1c2b:1%en0' }, remote: { ...half.selectedPair!.remote, address: HIDDEN_ADDRESS } }
    const side = acceptPeerSide({ ...half, candidates: { local: [local], remote: [{ ...local, address: '::ffff:192.0.2.1' }] }, selectedPair: pair }, 'join')
    expect(side.missing).toBeFalsy()
  })

  it('uses only a sane clock offset measured from the peer', () => {
    const r = { ...hostResult(), peerClockOffsetMs: 1e300, peerClockOffsetErrorMs: 1e300 }
    const report = buildReport(r, describeSide(r, 'host'), acceptPeerSide(goodHalf(), 'join'), new Date('2026-11-25T09:00:05.000Z'))
    expect(reportSchemaError(report)).toBeNull()
    expect((report.sides[1] as SideReport).clockOffsetMs).toBe(goodHalf().clockOffsetMs)
    const half = { ...goodHalf() } as Partial<SideReport>
    delete half.clockOffsetMs
    const wild = buildReport(r, describeSide(r, 'host'), half as SideReport, new Date('2026-11-25T09:00:05.000Z'))
    expect(reportSchemaError(wild)).toBeNull()
  })

  it('leaves a half that never went through acceptPeerSide out of the timeline rather than throwing', () => {
    const half = { ...goodHalf(), events: [{ kind: 'phase' as const, atMs: 1e17, phase: 'done' as const }] }
    const report = buildReport(hostResult(), describeSide(hostResult(), 'host'), half, new Date('2026-11-25T09:00:05.000Z'))
    expect(report.timeline.every((e) => e.role === 'host')).toBe(true)
  })
})
