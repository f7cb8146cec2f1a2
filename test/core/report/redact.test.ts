import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fixtureReport, PUBLIC } from './fixture'
import { addressesIn, isPublicAddress, redactionMap, redactReport } from '../../../src/core/report/redact'
import { renderHtml } from '../../../src/core/report/html'
import { renderMarkdown } from '../../../src/core/report/markdown'
import { renderText } from '../../../src/core/report/text'
import { lokiPayload } from '../../../src/core/report/loki'
import { loadReport } from '../../../src/core/report/load'
import { strictReportErrors } from './strictSchema'
import type { Report, SideReport } from '../../../src/shared/report'

const canonical = (a: string): string => (a.includes(':') ? new URL(`http://[${a}]/`).hostname : a)

const SECRETS = ['hunter2-turn-pass', 'IQ25SqC-n4PXvev8Wzi284aUGDRDHyUt', 'tok_9f8e7d6c5b4a', 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', 'PSKPSKPSKPSK', 'apikey-123456']
const EXTRA_PUBLIC = ['8.8.4.4', '1.1.1.1', '2606:4700:4700::1111', '151.101.1.69']

/** The fixture with credentials and public addresses planted where a careless writer might put them. */
function poisoned(): Report {
  const r = fixtureReport()
  const host = r.sides[0] as SideReport
  const join = r.sides[1] as SideReport
  host.servers![1]!.url = `turn:alice:${SECRETS[0]}@${PUBLIC.turn}:3478?transport=udp`
  ;(host as unknown as Record<string, unknown>).turnPassword = SECRETS[0]
  host.events.push({ kind: 'error', atMs: 5000, message: `invite http://${EXTRA_PUBLIC[0]}:8080/join/kUVrPBRwdTIr#${SECRETS[1]} rejected, Authorization: Bearer ${SECRETS[2]}` })
  host.events.push({ kind: 'error', atMs: 5001, message: `route via ${EXTRA_PUBLIC[2]} and [${EXTRA_PUBLIC[2]}]:443 and ${EXTRA_PUBLIC[3]}:3478 and ::ffff:${EXTRA_PUBLIC[1]}` })
  join.system!.vpn.push({ tool: 'wg', command: 'wg show', ok: true, exitCode: 0, output: `interface: wt0\n  private key: ${SECRETS[3]}\n  preshared key: ${SECRETS[4]}\n  endpoint: ${PUBLIC.hostSrflx}:51820\n` })
  const nb = join.system!.vpn[0]!.output as Record<string, unknown>
  nb.privateKey = SECRETS[3]
  nb.setupKey = { apiKey: SECRETS[5] }
  nb[EXTRA_PUBLIC[1]!] = 'an address as a key'
  ;(r as unknown as Record<string, unknown>).hostToken = SECRETS[2]
  r.timeline.push({ at: '2026-11-25T09:00:05.000Z', unixMs: Date.parse('2026-11-25T09:00:05.000Z'), role: 'host', event: host.events[host.events.length - 1]! })
  return r
}

const ORIGINAL_PUBLIC = [...Object.values(PUBLIC), ...EXTRA_PUBLIC, '81.2.69.162']

function renderings(r: Report): Record<string, string> {
  return { json: JSON.stringify(r), html: renderHtml(r), markdown: renderMarkdown(r), text: renderText(r), loki: JSON.stringify(lokiPayload(r)) }
}

describe('redaction', () => {
  it('the planted report really holds the addresses and secrets (the test can fail)', () => {
    const raw = JSON.stringify(poisoned())
    for (const a of ORIGINAL_PUBLIC) expect(raw).toContain(a)
    for (const s of SECRETS) expect(raw).toContain(s)
  })

  it.each(['json', 'html', 'markdown', 'text', 'loki'])('no original public address and no secret survives in the redacted %s', (kind) => {
    const out = renderings(redactReport(poisoned()))[kind]!
    for (const a of ORIGINAL_PUBLIC) expect(out, a).not.toContain(a)
    for (const a of ORIGINAL_PUBLIC) expect(out.toLowerCase()).not.toContain(a.toLowerCase())
    for (const s of SECRETS) expect(out, s).not.toContain(s)
  })

  it.each(['json', 'html', 'markdown', 'text', 'loki'])('no secret survives in the unredacted %s either', (kind) => {
    const r = poisoned()
    // Credentials are stripped when a report is loaded, built or rendered; here, when rendered.
    const out = kind === 'json' ? JSON.stringify(loadReport(JSON.stringify(r))) : renderings(r)[kind]!
    for (const s of SECRETS) expect(out, s).not.toContain(s)
    expect(out).toContain(PUBLIC.hostSrflx) // not redacted: addresses stay
  })

  it('no secret-like key survives anywhere in the redacted JSON', () => {
    const keys: string[] = []
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk)
      else if (v && typeof v === 'object') 
        for (const [k, x] of Object.entries(v)) {
          keys.push(k)
          walk(x)
        }
    }
    walk(redactReport(poisoned()))
    expect(keys.filter((k) => /secret|token|password|passwd|private.?key|preshared|api.?key/i.test(k))).toEqual([])
  })

  it('gives the same address the same stand-in everywhere, and keeps private, CGNAT and documentation addresses', () => {
    const r = redactReport(fixtureReport())
    const host = r.sides[0] as SideReport
    const join = r.sides[1] as SideReport
    const standIn = host.nat!.mapped!.address
    expect(standIn).toMatch(/^198\.51\.100\.\d+$/)
    expect(host.candidates.local.find((c) => c.type === 'srflx')!.address).toBe(standIn)
    expect(join.candidates.remote.find((c) => c.type === 'srflx')!.address).toBe(standIn)
    expect(join.system!.routes[0]!.destination).toBe(standIn)
    expect(JSON.stringify(join.system!.vpn[0]!.output)).toContain(`${standIn}:51820`)
    // Distinct addresses, distinct stand-ins.
    expect(join.nat!.mapped!.address).not.toBe(standIn)
    expect(host.candidates.local[0]!.address).toBe('192.168.1.20')
    expect(join.candidates.local[1]!.address).toBe('100.92.14.3')
    expect(host.candidates.local[1]!.address).toMatch(/^2001:db8:ffff::/)
    expect(r.redaction).toEqual({ publicAddresses: 6, note: expect.stringMatching(/6 public IP addresses replaced/) })
    expect(strictReportErrors(r)).toEqual([])
  })

  it('never hands out a stand-in the report already uses', () => {
    const map = redactionMap(['198.51.100.1', '8.8.8.8', '2001:db8:ffff::1', '2a00::1'])
    expect(map.get('8.8.8.8')).toBe('198.51.100.2')
    expect(map.get('2a00::1')).toBe('2001:db8:ffff::2')
  })

  it.each([
    ['8.8.8.8', true], ['81.2.69.142', true], ['10.1.2.3', false], ['172.20.0.1', false], ['192.168.0.1', false], ['100.64.0.1', false],
    ['127.0.0.1', false], ['169.254.1.1', false], ['192.0.2.2', false], ['198.51.100.7', false], ['203.0.113.9', false], ['224.0.0.251', false],
    ['2a02:8070::1', true], ['::1', false], ['fe80::1%eth0', false], ['fd00::2', false], ['2001:db8::5', false], ['::ffff:8.8.8.8', true], ['::ffff:10.0.0.1', false],
    ['not an address', false]
  ])('isPublicAddress(%s) is %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected))

  it('finds addresses written with ports and in brackets, and not in version numbers', () => {
    expect(addressesIn('a 1.2.3.4:5 b [2a00::1]:443 c 2a01:4f8::1:51820 d v1.2.3.4.5 e 12:40:05')).toEqual(['2a00::1', '2a01:4f8::1', '1.2.3.4'])
  })

  it('property: any public IPv4 or IPv6 written anywhere in a string is gone, consistently', () => {
    const publicV4 = fc.ipV4().filter(isPublicAddress)
    const publicV6 = fc.ipV6().filter((a) => isPublicAddress(a) && !a.includes('.'))
    const address = fc.oneof(publicV4, publicV6)
    const written = fc.tuple(address, fc.constantFrom('%s', '%s:3478', 'via %s.', '[%s]:443', 'x=%s,y', '(%s)'))
    fc.assert(
      fc.property(fc.array(written, { minLength: 1, maxLength: 6 }), (items) => {
        const r = fixtureReport()
        r.connection.reason = items.map(([a, f]) => f.replace('%s', a)).join(' ')
        ;(r.sides[0] as SideReport).reason = items.map(([a]) => a).join(' ')
        const out = redactReport(r)
        const text = JSON.stringify(out).toLowerCase()
        for (const [a] of items) expect(addressesIn(text).map((x) => x.toLowerCase())).not.toContain(a.toLowerCase())
        expect(new Set(addressesIn(out.sides[0]!.missing ? '' : (out.sides[0] as SideReport).reason)).size).toBe(new Set(items.map(([a]) => canonical(a))).size)
        expect(out.connection.reason.split(' ').length).toBe(r.connection.reason.split(' ').length)
      }),
      { numRuns: 100 }
    )
  })
})

describe('redaction, property-based: generated addresses in every position of every string field', () => {
  const octet = fc.integer({ min: 0, max: 255 })
  const publicV4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')).filter(isPublicAddress)
  const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16))
  // Global unicast outside the documentation prefix, in full, compressed and upper-case spellings.
  const publicV6 = fc
    .tuple(fc.integer({ min: 0x2400, max: 0x2a0f }), fc.array(group, { minLength: 7, maxLength: 7 }), fc.integer({ min: 1, max: 5 }), fc.boolean())
    .map(([first, rest, zeros, upper]) => {
      const groups = [first.toString(16), ...rest]
      for (let i = 8 - zeros; i < 7; i++) groups[i] = '0'
      const full = groups.join(':')
      const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1)
      const text = zeros > 2 ? compressed : full
      return upper ? text.toUpperCase() : text
    })
    .filter(isPublicAddress)
  const before = fc.constantFrom(' ', '\n', '(', '[', '"', "'", '=', ',', 'via ')
  const after = fc.constantFrom('', ' ', '.', ',', ';', ':', ')', ']', '"', "'", '\n', '.\n')

  /** Every string leaf of a value, with a setter. */
  function leaves(value: unknown, out: Array<{ get: () => string; set: (s: string) => void }> = []): typeof out {
    if (Array.isArray(value)) value.forEach((v, i) => (typeof v === 'string' ? out.push({ get: () => value[i] as string, set: (s) => (value[i] = s) }) : leaves(v, out)))
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>
      for (const k of Object.keys(o)) {
        if (typeof o[k] === 'string') out.push({ get: () => o[k] as string, set: (s) => (o[k] = s) })
        else leaves(o[k], out)
      }
    }
    return out
  }
  const fieldCount = leaves(fixtureReport()).length

  it('replaces each whole address by its stand-in, punctuation kept, whatever the field or position', () => {
    fc.assert(
      fc.property(fc.oneof(publicV4, publicV6), fc.integer({ min: 0, max: fieldCount - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), before, after, (address, field, where, pre, post) => {
        const r = fixtureReport()
        const leaf = leaves(r)[field]!
        const text = leaf.get()
        const at = Math.floor(where * text.length)
        leaf.set(`${text.slice(0, at)} ${pre}${address}${post} ${text.slice(at)}`)
        const standIn = redactionMap(r).get(address.toLowerCase())
        expect(standIn, `${address} was not recognised`).toBeDefined()
        const redacted = leaves(redactReport(r))[field]!.get()
        expect(redacted).toContain(` ${pre}${standIn}${post} `)
        expect(redacted.toLowerCase()).not.toContain(address.toLowerCase())
      }),
      { numRuns: 400 }
    )
  })

  it('an IPv4 address and its IPv4-mapped IPv6 spelling get the same stand-in', () => {
    fc.assert(
      fc.property(publicV4, fc.boolean(), (v4, mappedFirst) => {
        const r = fixtureReport()
        const host = r.sides[0] as SideReport
        const mapped = `::ffff:${v4}`
        const [a, b] = mappedFirst ? [mapped, v4] : [v4, mapped]
        host.events.push({ kind: 'error', atMs: 1, message: `first ${a}, then ${b}.` })
        const map = redactionMap(r)
        expect(map.get(mapped)).toBe(`::ffff:${map.get(v4)}`)
        expect(JSON.stringify(redactReport(r))).not.toContain(v4)
      }),
      { numRuns: 200 }
    )
  })

  it.each([
    ['an address before a period', '2a00:1450:4001:80b:1:2:3:4.'],
    ['a compressed address before a period', 'reached 2a00:1450:4001:80b::1.'],
    ['a compressed address before a colon', 'reached 2a00:1450::9: timeout'],
    ['an address ending in :: before a colon', 'reached 2a00:1450::: timeout']
  ])('%s leaves no group behind', (_name, text) => {
    const r = fixtureReport()
    ;(r.sides[0] as SideReport).events.push({ kind: 'error', atMs: 1, message: text })
    const out = JSON.stringify(redactReport(r))
    expect(out).not.toMatch(/2a00|1450|::1\.|::9:/)
  })
})
