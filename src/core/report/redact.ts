// Redaction for sharing: every public IP address becomes a stand-in, the same one wherever it
// appears (structured fields, reasons, command output, object keys), so the report still reads
// ("host A's srflx address is the one its route uses") without saying who A is. Private,
// loopback, link-local, CGNAT (Netbird's and Tailscale's overlay), documentation, multicast and
// reserved ranges stay: they identify no one and are what a network engineer needs most.
import { BlockList, isIP } from 'node:net'
import type { Report } from '../../shared/report'
import { stripCredentials } from './credentials'

const KEEP = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) KEEP.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32]
] as const) KEEP.addSubnet(net, bits, 'ipv6')

/** True for an address that names someone on the internet (and so is replaced when redacting). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return !KEEP.check(bare, 'ipv4')
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
    if (mapped) return isPublicAddress(mapped[1]!)
    return !KEEP.check(bare, 'ipv6')
  }
  return false
}

const V4 = /(?<![0-9A-Za-z.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)/g
// A run of hex digits, colons and dots with at least two colons: it may hold an IPv6 address,
// perhaps after a scheme's colon ("stun:2a00::1") or before a port ("2a00::1:3478").
const V6RUN = /[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z_.-]+)?/g

/** Where in a V6RUN match the IPv6 address sits, if it holds one. */
function v6Within(run: string): { start: number; end: number } | null {
  let start = 0
  let end = run.includes('%') ? run.indexOf('%') : run.length
  if (run.startsWith(':') && !run.startsWith('::')) start = 1
  // Punctuation after the address ("... via 2a00::1." or "2a00::1:") is prose, not address: trim
  // it first, or the port heuristic below would keep "2a00::" and leave the last group readable.
  // A colon goes unless it closes a "::" (then "2a00:::" is "2a00::" and a colon).
  while (end > start && (run[end - 1] === '.' || (run[end - 1] === ':' && (run[end - 2] !== ':' || run[end - 3] === ':')))) end--
  for (;;) {
    const token = run.slice(start, end)
    if (isIP(token) === 6) return { start, end: run.includes('%') && end === run.indexOf('%') ? run.length : end }
    // "2001:db8::1:51820" is how some reasons print address:port: try without the last group.
    const cut = token.lastIndexOf(':')
    if (cut <= 0) return null
    end = start + cut
    if (run[end - 1] === ':') end += 1 // "2a00::" keeps its double colon
    if (end - start >= token.length) return null
  }
}

/** The IP addresses written in a piece of text (an IPv6 one followed by ":port" included). */
export function addressesIn(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(V6RUN)) {
    const at = v6Within(m[0])
    if (at) found.push(m[0].slice(at.start, at.end).replace(/%.*$/, ''))
  }
  for (const m of text.matchAll(V4)) if (isIP(m[0]) === 4) found.push(m[0])
  return found
}

/** Stand-ins come from the documentation ranges, skipping any the report already uses. */
function* standIns(family: 4 | 6, taken: Set<string>): Generator<string> {
  if (family === 4) {
    for (const prefix of ['198.51.100.', '203.0.113.']) for (let i = 1; i < 255; i++) if (!taken.has(prefix + i)) yield prefix + i
    for (let i = 1; ; i++) yield `240.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  }
  for (let i = 1; ; i++) {
    const s = `2001:db8:ffff::${i.toString(16)}`
    if (!taken.has(s)) yield s
  }
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d, any spelling), else null. */
function mappedV4(address: string): string | null {
  if (isIP(address) !== 6) return null
  const c = new URL(`http://[${address}]/`).hostname.slice(1, -1)
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(c)
  if (!m) return null
  const hi = parseInt(m[1]!, 16)
  const lo = parseInt(m[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

function canonical(address: string): string {
  if (isIP(address) !== 6) return address
  const v4 = mappedV4(address)
  if (v4) return v4
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1)
  } catch {
    return address.toLowerCase()
  }
}

/** Every string and key of a value, in document order. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value
  else if (Array.isArray(value)) for (const v of value) yield* strings(v)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield k
      yield* strings(v)
    }
  }
}

/** Public address (lower case) -> stand-in, in order of first appearance, the same for every spelling of one address. */
export function redactionMap(value: unknown): Map<string, string> {
  const seen: string[] = []
  for (const s of strings(value)) for (const a of addressesIn(s)) seen.push(a.toLowerCase())
  const taken = new Set(seen.map(canonical))
  const v4 = standIns(4, taken)
  const v6 = standIns(6, taken)
  const byCanonical = new Map<string, string>()
  const map = new Map<string, string>()
  for (const a of seen) {
    if (map.has(a) || !isPublicAddress(a)) continue
    const c = canonical(a)
    let standIn = byCanonical.get(c)
    if (!standIn) {
      standIn = (isIP(c) === 4 ? v4 : v6).next().value as string
      byCanonical.set(c, standIn)
    }
    // An IPv4-mapped IPv6 address gets its IPv4 address's stand-in, still written as mapped.
    map.set(a, isIP(a) === 6 && isIP(c) === 4 ? `::ffff:${standIn}` : standIn)
  }
  return map
}

/** Replaces every public address `map` knows, wherever the scanner finds one (the same scanner that built the map). */
export function replaceAddresses(text: string, map: Map<string, string>): string {
  if (!map.size) return text
  const v6 = text.replace(V6RUN, (run) => {
    const at = v6Within(run)
    if (!at) return run
    const address = run.slice(at.start, at.end).replace(/%.*$/, '').toLowerCase()
    const standIn = map.get(address)
    return standIn ? run.slice(0, at.start) + standIn + run.slice(at.end) : run
  })
  return v6.replace(V4, (a) => map.get(a) ?? a)
}

function rewrite(value: unknown, fix: (s: string) => string): unknown {
  if (typeof value === 'string') return fix(value)
  if (Array.isArray(value)) return value.map((v) => rewrite(v, fix))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[fix(k)] = rewrite(v, fix)
    return out
  }
  return value
}

/** A copy of the report fit for sharing: public addresses replaced consistently, credentials gone. */
export function redactReport(report: Report): Report {
  const clean = stripCredentials(report)
  const map = redactionMap(clean)
  const out = rewrite(clean, (s) => replaceAddresses(s, map)) as Report
  const distinct = new Set(map.values()).size
  out.redaction = {
    publicAddresses: distinct,
    note: `${distinct} public IP address${distinct === 1 ? '' : 'es'} replaced by stand-ins from 198.51.100.0/24, 203.0.113.0/24 and 2001:db8:ffff::/48 (the same address always gets the same stand-in); private, loopback, link-local, CGNAT and documentation addresses are kept; credentials are never written`
  }
  return out
}
