// Report halves a hostile peer could send, each with what acceptPeerSide must make of it: refused
// (the side is reported missing, with why) or accepted once cleaned. Shared by the unit tests
// (hostileHalf.test.ts), the fuzz counts (test/reliability/parsers.test.ts) and the real-process test.
import type { SideReport } from '../../../src/shared/report'
import { fixtureReport } from './fixture'

type Half = Record<string, unknown>

/** The fixture's join side: a complete, well-formed half. */
export function goodHalf(): SideReport {
  const side = fixtureReport().sides[1]
  if (side.missing) throw new Error('the fixture join side is present')
  return side
}

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth))

function withEvent(event: Half): Half {
  const half = goodHalf() as unknown as Half
  return { ...half, events: [...(half.events as unknown[]), event] }
}

function withVpnOutput(output: unknown): Half {
  const half = goodHalf()
  return { ...half, system: { ...half.system!, vpn: [{ tool: 'wg', command: 'wg show', ok: true, exitCode: 0, output }] } }
}

export const ESCAPES = 'a\u001b]0;PWNED\u0007\u001b[2J\u009b31m\r\nb\tc\u202ed'

export interface HostileHalf {
  name: string
  half: () => unknown
  /** `refused`: the side is missing, the reason matches `why`; `accepted`: it is there, cleaned. */
  outcome: 'refused' | 'accepted'
  why?: RegExp
}

export const HOSTILE_HALVES: HostileHalf[] = [
  { name: 'an event time of 1e17', half: () => withEvent({ kind: 'phase', atMs: 1e17, phase: 'done' }), outcome: 'refused', why: /atMs/ },
  { name: 'a negative event time', half: () => withEvent({ kind: 'warning', atMs: -1e17, message: 'x' }), outcome: 'refused', why: /atMs/ },
  { name: 'a start time in year 9999', half: () => ({ ...goodHalf(), startedAt: '9999-12-31T23:59:59.999Z' }), outcome: 'refused', why: /startedAt/ },
  { name: 'a start time with month 13', half: () => ({ ...goodHalf(), startedAt: '2026-13-01T00:00:00Z' }), outcome: 'refused', why: /startedAt/ },
  { name: 'a clock offset of 1e300', half: () => ({ ...goodHalf(), clockOffsetMs: 1e300 }), outcome: 'refused', why: /clockOffsetMs/ },
  { name: 'an RTT of 1.7e308', half: () => ({ ...goodHalf(), rttMs: 1.7e308 }), outcome: 'refused', why: /rttMs/ },
  { name: 'a probe event RTT of 1e300', half: () => withEvent({ kind: 'probe', atMs: 5, rttMs: 1e300 }), outcome: 'refused', why: /rttMs/ },
  { name: 'a port of 1e9', half: () => ({ ...goodHalf(), candidates: { local: [{ ...goodHalf().candidates.local[0]!, port: 1e9 }], remote: [] } }), outcome: 'refused', why: /port/ },
  { name: '100,000 nested arrays in an event', half: () => withEvent({ kind: 'warning', atMs: 1, message: 'x', extra: nested(100_000) }), outcome: 'refused', why: /nested deeper than 32 levels/ },
  { name: '100,000 nested arrays in VPN output', half: () => withVpnOutput(nested(100_000)), outcome: 'refused', why: /nested deeper/ },
  { name: '100,000 nested arrays as text', half: () => JSON.stringify(withEvent({ kind: 'x', atMs: 1 })).replace('"x"', '"x","deep":' + '['.repeat(100_000) + ']'.repeat(100_000)), outcome: 'refused', why: /nested deeper/ },
  { name: 'a 2 MB name', half: () => ({ ...goodHalf(), name: 'n'.repeat(2_000_000) }), outcome: 'refused', why: /string longer than 1 MiB/ },
  { name: 'a 5 MB half as text', half: () => JSON.stringify({ ...goodHalf(), reason: 'r'.repeat(5_000_000) }), outcome: 'refused', why: /larger than 4 MiB/ },
  { name: 'not JSON', half: () => '{"role":"join",', outcome: 'refused', why: /not valid JSON/ },
  { name: 'a 100 KB name', half: () => ({ ...goodHalf(), name: 'n'.repeat(100_000) }), outcome: 'accepted' },
  { name: 'terminal escapes in name, version, reason, OS and an event', half: () => withEvent({ kind: 'error', atMs: 3, message: ESCAPES }), outcome: 'accepted' },
  { name: 'escapes everywhere', half: () => ({ ...goodHalf(), name: ESCAPES, app: { name: ESCAPES, version: ESCAPES }, reason: ESCAPES, os: { platform: ESCAPES, release: ESCAPES, arch: ESCAPES } }), outcome: 'accepted' },
  { name: 'escapes in a VPN status output', half: () => withVpnOutput(`interface: wg0\r\n\tpeer: x${ESCAPES}`), outcome: 'accepted' },
  { name: 'a __proto__ key in an event', half: () => withEvent(JSON.parse('{"kind":"x","atMs":1,"__proto__":{"polluted":true}}')), outcome: 'accepted' },
  { name: 'markup as a candidate address', half: () => ({ ...goodHalf(), candidates: { local: [{ ...goodHalf().candidates.local[0]!, address: '<img src=x onerror=alert(1)>' }], remote: [] } }), outcome: 'refused', why: /address/ },
  { name: 'a newline and a link in the NAT mapped address', half: () => ({ ...goodHalf(), nat: { ...goodHalf().nat!, mapped: { address: '192.0.2.1\n[x](javascript:alert(1))', port: 1 } } }), outcome: 'refused', why: /mapped\/address/ },
  { name: 'a host name as the selected pair address', half: () => ({ ...goodHalf(), selectedPair: { ...goodHalf().selectedPair!, remote: { ...goodHalf().selectedPair!.remote, address: 'evil.example.com' } } }), outcome: 'refused', why: /address/ },
  { name: 'the wrong role', half: () => ({ ...goodHalf(), role: `host${ESCAPES}` }), outcome: 'refused', why: /for role "hosta\]0;PWNED\[2J31m b cd"/ }
]
