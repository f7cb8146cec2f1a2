import { describe, expect, it } from 'vitest'
import { compareFindings, compareReports, findingKey, numberChange, type Change } from '../../../src/shared/diagnosis/compare'
import type { Report, SideReport } from '../../../src/shared/report'
import { fixtureReport } from '../../core/report/fixture'

/** The fixture (relayed, a WireGuard on 51820) and the same session after the fix: direct, port open. */
function fixed(): Report {
  const r = fixtureReport()
  const pair = structuredClone(r.connection.selectedPair!)
  pair.local.type = 'srflx'
  pair.remote.type = 'srflx'
  r.connection = { ...r.connection, verdict: 'direct', reason: 'the selected pair is direct (srflx on both sides)', selectedPair: pair, rttMs: 12.1, connectedAfterMs: 180 }
  r.paths = {
    direct: { path: 'direct', pair, probesSent: 20, probesReceived: 20, lossPercent: 0, rtt: { minMs: 11, p50Ms: 12, p95Ms: 14, maxMs: 15 }, jitterMs: 0.8, throughput: { hostToJoinBps: 20e6, joinToHostBps: 18e6, bytes: 8e6 } },
    relay: r.paths!.relay
  }
  r.portTests = [{ ...r.portTests![0]!, reachable: true, boundOn: [], reason: 'both ways arrived' }]
  const join = r.sides[1] as SideReport
  join.system = { ...join.system!, routes: [] }
  return r
}

const row = (c: ReturnType<typeof compareReports>, label: string) => c.rows.find((r) => r.label === label)

describe('compareReports', () => {
  it('the same report twice: nothing changed, no finding appeared or went away', () => {
    const c = compareReports(fixtureReport(), fixtureReport())
    expect(c.rows.every((r) => r.change === 'same')).toBe(true)
    expect(c.change).toBe('same')
    expect(c.headline).toMatch(/^relayed both times; 0 of \d+ rows changed$/)
    expect(c.findings.every((f) => f.status === 'kept')).toBe(true)
  })

  it('relayed then direct: the verdict, the path and the port are better, the tunnel finding went away', () => {
    const c = compareReports(fixtureReport(), fixed())
    expect(c.change).toBe('better')
    expect(c.headline).toMatch(/^relayed → direct \(better\)/)
    const table: [string, string, string, Change][] = [
      ['Verdict', 'relayed', 'direct', 'better'],
      ['Selected pair', 'relay to relay', 'srflx to srflx', 'changed'],
      ['RTT', '41.2 ms', '12.1 ms', 'better'],
      ['direct RTT (median)', '-', '12 ms', 'better'],
      ['direct host to joiner', '-', '160.0 Mbit/s', 'better'],
      ['UDP 51820', 'unreachable', 'reachable', 'better'],
      ['host NAT', 'Port-restricted cone NAT', 'Port-restricted cone NAT', 'same']
    ]
    for (const [label, before, after, change] of table) expect(row(c, label), label).toMatchObject({ before, after, change })
    expect(c.findings.filter((f) => f.status === 'gone').map((f) => f.text).join('\n')).toMatch(/VPN-like interface/)
    expect(c.findings.filter((f) => f.status === 'gone').map((f) => f.text).join('\n')).toMatch(/UDP port 51820/)
  })

  it('direct then relayed is worse, the other way round', () => {
    const c = compareReports(fixed(), fixtureReport())
    expect(c.change).toBe('worse')
    expect(row(c, 'Verdict')!.change).toBe('worse')
    expect(row(c, 'UDP 51820')!.change).toBe('worse')
    expect(c.findings.filter((f) => f.status === 'appeared').length).toBeGreaterThan(0)
  })

  it('a missing half and an unmeasured NAT are said, not compared as a change for the worse', () => {
    const after = fixtureReport()
    after.sides = [after.sides[0], { role: 'join', missing: true, why: 'the joiner left' }]
    const c = compareReports(fixtureReport(), after)
    expect(row(c, 'joiner NAT')).toMatchObject({ after: 'half missing', change: 'changed' })
    expect(row(c, 'joiner candidates')).toMatchObject({ after: 'half missing', change: 'worse' })
  })

  it('candidates by type are counted for each side, every type named', () => {
    const c = compareReports(fixtureReport(), fixtureReport())
    expect(row(c, 'host candidates')!.before).toMatch(/^\d+ host, \d+ srflx, \d+ prflx, \d+ relay$/)
  })
})

describe('numberChange', () => {
  const table: [number | null, number | null, boolean, number, Change][] = [
    [40, 12, false, 2, 'better'],
    [12, 40, false, 2, 'worse'],
    [12, 13, false, 2, 'same'],
    [100, 105, true, 0, 'same'],
    [100, 150, true, 0, 'better'],
    [null, 5, true, 0, 'better'],
    [5, null, true, 0, 'worse'],
    [null, null, true, 0, 'same']
  ]
  it.each(table)('%s -> %s (higher better: %s, floor %s) is %s', (b, a, higher, floor, want) => expect(numberChange(b, a, higher, floor)).toBe(want))
})

describe('compareFindings', () => {
  it('a finding whose numbers moved is the same finding; new words appear, old ones go', () => {
    const before = [{ level: 'info' as const, text: 'The relay costs 30 ms more round trip.' }, { level: 'bad' as const, text: 'No connection: timeout' }]
    const after = [{ level: 'info' as const, text: 'The relay costs 12.5 ms more round trip.' }, { level: 'warn' as const, text: 'UDP port 51820: blocked' }]
    expect(compareFindings(before, after).map((f) => [f.status, f.text])).toEqual([
      ['appeared', 'UDP port 51820: blocked'],
      ['gone', 'No connection: timeout'],
      ['kept', 'The relay costs 12.5 ms more round trip.']
    ])
    expect(findingKey(before[0]!)).toBe(findingKey(after[0]!))
  })
})
