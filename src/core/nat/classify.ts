// Pure decisions: from the evidence (the tests that ran) to a verdict. No I/O here, so every rule is
// table-tested in test/core/nat/classify.test.ts. The rules follow RFC 5780 sections 4.3 and 4.4.
import type { NatClassic, NatEndpoint, NatFiltering, NatMapping, NatMethod, NatServerReach, NatTest, NatTestName } from '../../shared/nat'
import { formatEndpoint, sameEndpoint, sameIp } from '../stun/address'

export interface ClassifyInput {
  /** The primary server address test I went to. */
  server: NatEndpoint
  /** The second server of the two-server fallback, when one was given. */
  server2?: NatEndpoint | null
  /** Port of the mapping test socket. */
  localPort: number
  /** Every address of this host (the mapped address equal to one of them means: no NAT). */
  localAddresses: string[]
  serverReach: NatServerReach
  tests: NatTest[]
}

export interface Classification {
  mapping: NatMapping
  filtering: NatFiltering
  classic: NatClassic
  method: NatMethod
  reason: string
}

interface Part<T> {
  value: T
  why: string
}

export function classifyNat(input: ClassifyInput): Classification {
  const get = (name: NatTestName) => input.tests.find((t) => t.name === name)
  const t1 = get('mapping-1')
  const server = formatEndpoint(input.server)

  if (!t1 || t1.result !== 'reply') {
    const s2 = get('mapping-server2')
    const tail = s2?.result === 'reply' ? ` (the second server ${formatEndpoint(s2.target)} did answer)` : ''
    const silent = noAnswer(input.serverReach, server, t1, get('tcp-connect'))
    return { mapping: 'unknown', filtering: 'unknown', method: 'none', classic: silent.classic, reason: silent.reason + tail }
  }
  if (!t1.mapped) {
    const what = t1.errorCode ? `an error ${t1.errorCode}` : 'no mapped address'
    return unknownBoth('none', `the server ${server} answered with ${what}, so nothing can be concluded`)
  }

  const rfc5780 = otherAddressProblem(input.server, t1.otherAddress)
  const mapping = classifyMapping(input, t1, rfc5780, get)
  const filtering: Part<NatFiltering> = rfc5780
    ? { value: 'unknown', why: `filtering cannot be tested: ${rfc5780}` }
    : classifyFiltering(input.server, t1.otherAddress!, get)
  // Without RFC 5780 a known mapping came from comparing two servers, or (mapping "none") from the
  // server seeing one of our own addresses, which needs no second server.
  const method: NatMethod = !rfc5780 ? 'rfc5780' : mapping.value === 'none' ? 'local-address' : mapping.value !== 'unknown' ? 'two-servers' : 'none'
  const classic = classicLabel(mapping.value, filtering.value)
  // "no NAT, the server sees our own address" says what the type would: no "type unknown" before it.
  const label = classic !== 'unknown' ? `${classic.replace(/-/g, ' ')}: ` : mapping.value === 'none' ? '' : 'type unknown: '
  return {
    mapping: mapping.value,
    filtering: filtering.value,
    classic,
    method,
    reason: `${label}${mapping.why}; ${filtering.why}.${lossNote(input.tests, filtering.value === 'unknown' ? [] : [get('filtering-2'), get('filtering-3')])}`
  }
}

/**
 * How sure a conclusion is on a lossy path: the loss the answered tests showed (requests that needed
 * resending), and for the tests whose silence was read as filtering, the chance that every one of
 * their requests (or replies) was lost by accident. Empty when no loss was seen.
 */
export function lossNote(tests: NatTest[], silentTests: Array<NatTest | undefined>): string {
  const answered = tests.filter((t) => t.result === 'reply' && t.name !== 'hairpin' && t.name !== 'tcp-connect')
  const sent = answered.reduce((n, t) => n + t.attempts, 0)
  const lost = answered.reduce((n, t) => n + t.attempts - 1, 0)
  if (!lost || !sent) return ''
  const q = lost / sent
  const seen = ` The path lost packets: ${lost} of ${sent} requests needed resending (about ${Math.round(q * 100)}% lost)`
  const silent = silentTests.filter((t): t is NatTest => t?.result === 'timeout')
  if (!silent.length) return `${seen}; every conclusion rests on replies that arrived.`
  const k = Math.min(...silent.map((t) => t.attempts))
  const chance = q ** k
  const odds = chance < 1e-4 ? 'less than 1 in 10000' : `about 1 in ${Math.max(1, Math.round(1 / chance))}`
  return `${seen}; the silent ${silent.length > 1 ? 'tests' : 'test'} went unanswered ${k} times in a row: ${odds} that loss alone did that${chance >= 0.01 ? ', so the filtering is uncertain' : ''}.`
}

function noAnswer(reach: NatServerReach, server: string, t1: NatTest | undefined, tcp?: NatTest): { classic: NatClassic; reason: string } {
  if (t1?.result === 'error') return { classic: 'unknown', reason: `cannot reach ${server} over UDP: ${t1.detail ?? 'send failed'}` }
  switch (reach) {
    case 'tcp-only':
      // The TCP check may have reached a TURN server's TCP or TLS port instead (only 443 let out).
      if (tcp && formatEndpoint(tcp.target) !== server) {
        return { classic: 'udp-blocked', reason: `UDP blocked: no STUN request to ${server} over UDP got an answer, while TCP gets out (to ${formatEndpoint(tcp.target)}, a TURN server's TCP or TLS port)` }
      }
      return { classic: 'udp-blocked', reason: `UDP blocked: ${server} accepts TCP on the same port but no STUN request over UDP got an answer` }
    case 'tcp-refused':
      return { classic: 'unknown', reason: `no UDP answer from ${server} and its host refused TCP on that port: the STUN server is probably down (or UDP is blocked too)` }
    case 'unreachable':
      return { classic: 'unknown', reason: `no answer from ${server} over UDP or TCP: the server is down or unreachable, or this network blocks it` }
    default:
      return { classic: 'unknown', reason: `no answer from ${server} over UDP` }
  }
}

function unknownBoth(method: NatMethod, reason: string): Classification {
  return { mapping: 'unknown', filtering: 'unknown', classic: 'unknown', method, reason }
}

/** Why the server's OTHER-ADDRESS cannot drive RFC 5780 tests, or undefined when it can. */
export function otherAddressProblem(server: NatEndpoint, other: NatEndpoint | undefined): string | undefined {
  if (!other) return `${formatEndpoint(server)} does not support RFC 5780 (no OTHER-ADDRESS)`
  if (sameIp(other.address, server.address)) return `${formatEndpoint(server)} gives OTHER-ADDRESS ${formatEndpoint(other)} with the same IP, so it cannot change address (not RFC 5780 capable)`
  if (other.port === server.port) return `${formatEndpoint(server)} gives OTHER-ADDRESS ${formatEndpoint(other)} with the same port, so it cannot change port (not RFC 5780 capable)`
  return undefined
}

function isLocal(input: ClassifyInput, mapped: NatEndpoint): boolean {
  return mapped.port === input.localPort && input.localAddresses.some((a) => sameIp(a, mapped.address))
}

function classifyMapping(input: ClassifyInput, t1: NatTest, rfc5780: string | undefined, get: (n: NatTestName) => NatTest | undefined): Part<NatMapping> {
  const m1 = t1.mapped!
  if (isLocal(input, m1)) return { value: 'none', why: `no NAT, the server sees our own address ${formatEndpoint(m1)}` }
  if (rfc5780) return twoServerMapping(m1, input, get('mapping-server2'), rfc5780)
  const t2 = get('mapping-2')
  if (t2?.result !== 'reply' || !t2.mapped) return { value: 'unknown', why: `mapping unknown: the alternate address ${formatEndpoint(t2?.target)} did not answer test II` }
  if (sameEndpoint(t2.mapped, m1)) return { value: 'endpoint-independent', why: `the mapping stays ${formatEndpoint(m1)} for every destination` }
  const t3 = get('mapping-3')
  if (t3?.result !== 'reply' || !t3.mapped) return { value: 'unknown', why: `mapping unknown: it changed for the alternate address (${formatEndpoint(m1)} then ${formatEndpoint(t2.mapped)}) but test III got no answer` }
  if (sameEndpoint(t3.mapped, t2.mapped)) {
    return { value: 'address-dependent', why: `the mapping changes with the destination address (${formatEndpoint(m1)}, then ${formatEndpoint(t2.mapped)}) but not with its port` }
  }
  return { value: 'address-and-port-dependent', why: `the mapping changes with every destination address and port (${formatEndpoint(m1)}, ${formatEndpoint(t2.mapped)}, ${formatEndpoint(t3.mapped)})` }
}

/** Without RFC 5780: compare the mappings two different servers saw, as Tailscale's netcheck does. */
function twoServerMapping(m1: NatEndpoint, input: ClassifyInput, s2: NatTest | undefined, problem: string): Part<NatMapping> {
  if (!s2) return { value: 'unknown', why: `mapping unknown: ${problem}; give a second server (--stun2) to compare mappings` }
  if (s2.result !== 'reply' || !s2.mapped) return { value: 'unknown', why: `mapping unknown: ${problem}, and the second server ${formatEndpoint(s2.target)} did not answer` }
  if (sameEndpoint(s2.mapped, m1)) return { value: 'endpoint-independent', why: `the mapping stays ${formatEndpoint(m1)} toward two different servers` }
  const sameServerIp = sameIp(s2.target.address, input.server.address)
  if (sameServerIp) {
    return { value: 'address-and-port-dependent', why: `the mapping changes with the destination port (${formatEndpoint(m1)}, then ${formatEndpoint(s2.mapped)})` }
  }
  return {
    value: 'address-dependent',
    why: `the mapping varies by destination address (${formatEndpoint(m1)}, then ${formatEndpoint(s2.mapped)}); two plain servers cannot tell address-dependent from address-and-port-dependent`
  }
}

function classifyFiltering(server: NatEndpoint, other: NatEndpoint, get: (n: NatTestName) => NatTest | undefined): Part<NatFiltering> {
  const control = get('filtering-1')
  const f2 = get('filtering-2')
  const f3 = get('filtering-3')
  if (control?.result !== 'reply') return { value: 'unknown', why: 'filtering unknown: the fresh socket got no answer to its plain request' }
  const changedBoth = other
  const changedPort = { address: server.address, port: other.port }

  if (f2?.result === 'reply') {
    const bad = changedReplyProblem(f2, changedBoth, server)
    if (bad) return { value: 'unknown', why: `filtering unknown: ${bad}` }
    return { value: 'endpoint-independent', why: 'packets from any address get through (the reply from the other IP and port arrived)' }
  }
  if (f2?.result !== 'timeout') return { value: 'unknown', why: `filtering unknown: test II ${f2 ? `failed: ${f2.detail ?? f2.result}` : 'did not run'}` }
  if (f3?.result === 'reply') {
    const bad = changedReplyProblem(f3, changedPort, server)
    if (bad) return { value: 'unknown', why: `filtering unknown: ${bad}` }
    return { value: 'address-dependent', why: 'only addresses we sent to get through, from any port (the reply from another port arrived, the one from another IP did not)' }
  }
  if (f3?.result !== 'timeout') return { value: 'unknown', why: `filtering unknown: test III ${f3 ? `failed: ${f3.detail ?? f3.result}` : 'did not run'}` }
  return { value: 'address-and-port-dependent', why: 'only the exact address and port we sent to get through (no reply from another IP or port arrived)' }
}

function changedReplyProblem(test: NatTest, expected: NatEndpoint, server: NatEndpoint): string | undefined {
  if (test.errorCode) return `the server refused CHANGE-REQUEST (error ${test.errorCode})`
  if (sameEndpoint(test.from, expected)) return undefined
  if (sameEndpoint(test.from, server)) return `the server ignored CHANGE-REQUEST (the reply came from ${formatEndpoint(server)} instead of ${formatEndpoint(expected)})`
  return `the CHANGE-REQUEST reply came from ${formatEndpoint(test.from)}, expected ${formatEndpoint(expected)}`
}

/** RFC 3489's label from the RFC 5780 behaviours. */
export function classicLabel(mapping: NatMapping, filtering: NatFiltering): NatClassic {
  if (mapping === 'address-dependent' || mapping === 'address-and-port-dependent') return 'symmetric'
  if (mapping === 'none') {
    if (filtering === 'endpoint-independent') return 'open-internet'
    if (filtering === 'unknown') return 'unknown'
    return 'symmetric-udp-firewall'
  }
  if (mapping === 'endpoint-independent') {
    if (filtering === 'endpoint-independent') return 'full-cone'
    if (filtering === 'address-dependent') return 'restricted-cone'
    if (filtering === 'address-and-port-dependent') return 'port-restricted-cone'
  }
  return 'unknown'
}
