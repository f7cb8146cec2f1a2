import { describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { fixtureReport } from './fixture'
import { renderHtml } from '../../../src/core/report/html'
import { renderMarkdown, mdEscape } from '../../../src/core/report/markdown'
import { renderText } from '../../../src/core/report/text'
import { reportSchemaError } from '../../../src/core/report/validate'
import { redactReport } from '../../../src/core/report/redact'
import type { Report, SideReport } from '../../../src/shared/report'
import { eventText } from '../../../src/shared/format'
import { bothPaths, offPath } from '../../shared/format/measureFixtures'

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url))

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const file = GOLDEN + name
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true })
    writeFileSync(file, actual)
  }
  expect(actual, `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(file, 'utf8'))
}

describe('golden renderings of the fixture report', () => {
  it('HTML', () => golden('report.html', renderHtml(fixtureReport())))
  it('Markdown', () => golden('report.md', renderMarkdown(fixtureReport())))
  it('text summary', () => golden('report.txt', renderText(fixtureReport())))
  it('redacted Markdown', () => golden('report.redacted.md', renderMarkdown(redactReport(fixtureReport()))))
})

function withMissingJoin(): Report {
  const r = fixtureReport()
  r.sides[1] = { role: 'join', missing: true, why: 'the other side sent no report half (it quit early, or the data channel never opened)' }
  r.timeline = r.timeline.filter((e) => e.role === 'host')
  return r
}

describe('HTML report', () => {
  const html = renderHtml(fixtureReport())

  it('is self-contained: no script, no external resource, a CSP that forbids them', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i)
    expect(html).not.toMatch(/(src|href)="(?!#)/i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
  })

  it('has every section, charts as inline SVG, and print styles', () => {
    for (const id of ['summary', 'findings', 'sides', 'paths', 'candidates', 'pairs', 'timeline', 'system']) expect(html).toContain(`id="${id}"`)
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(5)
    expect(html).toContain('@media print')
    expect(html).toContain('<span class="flag">disagrees</span>')
  })

  it('escapes whatever the report holds', () => {
    const r = fixtureReport()
    ;(r.sides[0] as { name: string }).name = '<img src=x onerror=alert(1)>'
    r.connection.reason = '"><script>alert(1)</script>'
    const out = renderHtml(r)
    expect(out).not.toContain('<img src=x')
    expect(out).not.toContain('<script>')
    expect(out).toContain('&lt;script&gt;')
  })

  it('shows a missing side with why, and leaves out sections with nothing to show', () => {
    const out = renderHtml(withMissingJoin())
    expect(out).toContain('<span class="flag">missing</span> the other side sent no report half')
    const bare = fixtureReport()
    delete bare.paths
    delete bare.portTests
    for (const s of bare.sides) if (!s.missing) delete s.system
    const plain = renderHtml(bare)
    expect(plain).not.toContain('id="paths"')
    expect(plain).not.toContain('id="system"')
  })
})

describe('Markdown and text', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['<b>*x*</b>', '\\<b>\\*x\\*\\</b>'],
    ['host a:1 <-> host b:2', 'host a:1 <-> host b:2'],
    ['two\nlines', 'two lines'],
    ['a lone\rreturn', 'a lone return'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript\\:alert(1))'],
    ['<javascript:alert(1)>', '\\<javascript\\:alert(1)>'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['0.1.0', '0.1.0'],
    ['&lt;img&gt;', '\\&lt;img\\&gt;'],
    ['`tick`', '\\`tick\\`'],
    ['a\u001b[2Jb', 'a\\[2Jb']
  ])('escapes %j', (input, output) => expect(mdEscape(input)).toBe(output))

  it('say when a side is missing', () => {
    expect(renderMarkdown(withMissingJoin())).toMatch(/The joiner's half is missing: the other side sent no report half/)
    expect(renderText(withMissingJoin())).toMatch(/joiner: missing \(the other side sent no report half/)
  })

  it('flag a disagreement between prediction and outcome, and not an agreement', () => {
    expect(renderText(fixtureReport())).toMatch(/prediction: direct: .*<-- DISAGREES/)
    const agreeing = fixtureReport()
    agreeing.prediction = { verdict: 'relayed', reason: 'both symmetric' }
    expect(renderText(agreeing)).not.toMatch(/DISAGREES|disagree/)
    expect(renderMarkdown(agreeing)).not.toMatch(/disagree/)
  })

  it('flag a different version from the hello when the other half is missing', () => {
    const r = withMissingJoin()
    const hello = (r.sides[0] as { events: Array<{ kind: string; version?: string }> }).events.find((e) => e.kind === 'peer-hello')!
    hello.version = '0.3.0'
    expect(renderText(r)).toContain('different peerlens versions: 0.1.0 (host) and 0.3.0 (the other side, from its hello)')
    expect(renderText(withMissingJoin())).not.toContain('different peerlens versions')
  })

  it('flag different peerlens versions on the two sides', () => {
    const r = fixtureReport()
    ;(r.sides[1] as { app: { version: string } }).app.version = '0.2.0'
    expect(renderMarkdown(r)).toContain('The two sides run different peerlens versions: 0.1.0 (host) and 0.2.0 (joiner).')
  })
})

/** The demo on one machine: no NAT (the STUN server sees our own address), loopback path MTU, a srflx seen over loopback. */
function demoLike(): Report {
  const r = fixtureReport()
  const host = r.sides[0] as SideReport
  const remote = { type: 'host' as const, protocol: 'udp' as const, address: '192.0.2.2', port: 36808 }
  host.selectedPair = { local: { ...remote, port: 47723 }, remote }
  r.connection.verdict = 'direct'
  r.connection.reason = 'the two sides reach each other without a relay, over host 192.0.2.2:47723 <-> host 192.0.2.2:36808 (udp)'
  r.connection.selectedPair = structuredClone(host.selectedPair)
  for (const s of r.sides) {
    if (s.missing || !s.nat) continue
    Object.assign(s.nat, { mapping: 'none', filtering: 'unknown', classic: 'unknown', method: 'local-address', mapped: { address: '127.0.0.1', port: 54663 } })
  }
  host.pathMtu = { toward: { address: '192.0.2.2', port: 0 }, mtu: 1500, method: "ping with don't-fragment, binary search", capped: true }
  host.system!.routes = [
    { destination: '127.0.0.1', ok: true, command: 'ip -j route get 127.0.0.1', interface: 'lo', gateway: null, source: '127.0.0.1', mtu: null, vpnLike: false },
    { destination: '192.0.2.2', ok: true, command: 'ip -j route get 192.0.2.2', interface: 'eth0', gateway: null, source: '192.0.2.2', mtu: null, vpnLike: false }
  ]
  host.candidates.local.push({ type: 'srflx', protocol: 'udp', address: '127.0.0.1', port: 47723, priority: 1, foundation: 'x', component: 1, atMs: 1, relatedAddress: { address: '192.0.2.2', port: 47723 } })
  delete r.prediction
  return r
}

describe('time to verdict in the report (issue 14 #5)', () => {
  it('shows when the verdict came and when the measurements ended next to the verdict, in every rendering', () => {
    const r = fixtureReport()
    r.connection.verdictAfterMs = 520
    r.connection.measuredAfterMs = 7900
    const words = 'verdict after 0.52 s; measurements done after 7.9 s'
    expect(renderText(r)).toContain(`\ntiming: ${words}\n`)
    expect(renderMarkdown(r)).toContain(`**Timing:** ${words}  \n`)
    expect(renderHtml(r)).toContain(`<dt>timing</dt><dd>${words}</dd>`)
  })

  it('leaves the line out of an older report without them, and says only the one it has', () => {
    const r = fixtureReport()
    delete r.connection.verdictAfterMs
    delete r.connection.measuredAfterMs
    for (const out of [renderText(r), renderMarkdown(r), renderHtml(r)]) expect(out).not.toMatch(/timing|verdict after|measurements done/i)
    r.connection.verdictAfterMs = 900
    expect(renderText(r)).toContain('\ntiming: verdict after 0.9 s\n')
    expect(renderText(r)).not.toContain('measurements done')
  })
})

describe('the first page says what happened (issue 17 #2)', () => {
  const r = demoLike()
  const text = renderText(r)
  const md = renderMarkdown(r)
  const html = renderHtml(r)

  it('one wording of "no NAT" in every rendering, never "unknown (mapping none, ...)"', () => {
    for (const out of [text, md, html]) {
      expect(out).toContain('no NAT, filtering unknown')
      expect(out).not.toContain('mapping none')
    }
    expect(eventText({ kind: 'nat', atMs: 0, side: 'host', classic: 'unknown', mapping: 'none', filtering: 'unknown' })).toBe('NAT of the host: no NAT, filtering unknown')
  })

  it('names the method and counts the tests that ran', () => {
    expect(html).toMatch(/<dt>method<\/dt><dd>the server saw our own address, \d+ tests? in /)
    expect(html).not.toContain('two-servers')
  })

  it('says a path MTU at the top of the search is a floor', () => {
    expect(text).toContain('path MTU: 1500 or more (the largest size tried)')
    expect(md).toContain('| Path MTU | 1500 or more (the largest size tried) |')
    expect(html).toContain('1500 or more (the largest size tried) toward 192.0.2.2')
  })

  it('shows the route toward the selected pair\'s remote end, not the first route collected', () => {
    expect(text).toContain('route toward 192.0.2.2: eth0')
    expect(text).not.toContain('route toward 127.0.0.1')
    expect(md).toContain('| Route to peer | toward 192.0.2.2: eth0 |')
    expect(html).toContain('<dt>route</dt><dd>toward 192.0.2.2: eth0</dd>')
  })

  it('does not stutter the verdict word', () => {
    expect(text).toContain('verdict: direct: the two sides reach each other without a relay, over host 192.0.2.2:47723 <-> host 192.0.2.2:36808 (udp)')
    expect(text).not.toMatch(/direct: [^\n]*is direct/)
  })

  it('does not present a srflx seen over loopback as translated from another address', () => {
    const c = (r.sides[0] as SideReport).candidates.local.at(-1)!
    expect(eventText({ kind: 'local-candidate', atMs: 0, candidate: c })).toBe('local candidate srflx udp 127.0.0.1:47723, the socket of 192.0.2.2:47723, seen over loopback by a STUN server on this machine')
    expect(html).toContain('the socket of 192.0.2.2:<wbr>47723, seen over loopback by a STUN server on this machine')
    expect(eventText({ kind: 'local-candidate', atMs: 0, candidate: { ...c, address: '198.51.100.7' } })).toBe('local candidate srflx udp 198.51.100.7:47723 from 192.0.2.2:47723')
  })
})

describe('port mapping and double NAT in the report (issue 13)', () => {
  it('HTML and text show them when a side measured them; the report stays valid', () => {
    const r = fixtureReport()
    const side = r.sides[0]
    if (side.missing || !side.nat) throw new Error('fixture changed')
    const p = { available: true, reason: 'ok', externalAddress: '198.51.100.7', ms: 3 }
    side.nat.portMapping = { gateway: '192.168.1.1', upnp: p, natPmp: p, pcp: { ...p, available: false, reason: 'PCP refused: not authorized', externalAddress: null }, externalAddress: '198.51.100.7' }
    side.nat.doubleNat = { detected: true, carrierGrade: true, reason: 'double NAT (carrier-grade NAT at hop 2, 100.64.0.1): ask the ISP', evidence: ['hop 2 is 100.64.0.1'], hops: [{ hop: 2, address: '100.64.0.1' }] }
    expect(reportSchemaError(r)).toBeNull()
    expect(renderText(r)).toContain('  port mapping: UPnP IGD, NAT-PMP on 192.168.1.1 (external address 198.51.100.7)')
    expect(renderText(r)).toContain('  double NAT: double NAT (carrier-grade NAT at hop 2, 100.64.0.1)')
    const html = renderHtml(r)
    expect(html).toContain('UPnP IGD, NAT-PMP on 192.168.1.1')
    expect(html).toContain('carrier-grade NAT at hop 2, 100.64.0.1')
    const md = renderMarkdown(r)
    expect(md).toContain('| Port mapping | UPnP IGD, NAT-PMP on 192.168.1.1 (external address 198.51.100.7) | - |')
    expect(md).toMatch(/\| Double NAT \| double NAT \(carrier-grade NAT at hop 2, 100\.64\.0\.1\): ask the ISP \| - \|/)
  })

  it('Markdown leaves the rows out when neither side measured them', () => {
    const md = renderMarkdown(fixtureReport())
    expect(md).not.toContain('Port mapping')
    expect(md).not.toContain('Double NAT')
  })
})

describe('path measurements in every rendering', () => {
  const both = (): Report => ({ ...fixtureReport(), paths: bothPaths() })

  it('shows the window, the UDP rate and the relay overhead whenever both paths were measured', () => {
    for (const out of [renderText(both()), renderMarkdown(both()), renderHtml(both())]) {
      expect(out).toContain('9.4 Mbit/s host→joiner (2.0 s, 2.4 MB)')
      expect(out).toContain('9.5 Mbit/s host→joiner (capacity 9.7 Mbit/s)')
      expect(out).toContain('0.4 % of 500 (UDP echo train on the selected pair)')
      expect(out).toContain('RFC 3550 interarrival jitter: 0.3 ms host→joiner')
      expect(out).toContain('+29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host')
    }
  })

  it('says the measurement was off, and why, instead of a blank', () => {
    const r = fixtureReport()
    r.paths = { direct: offPath('direct') }
    for (const out of [renderText(r), renderMarkdown(r), renderHtml(r)]) {
      expect(out).toContain('off: turned off (--throughput-mb 0)')
      expect(out).not.toContain('relay overhead')
    }
  })
})
