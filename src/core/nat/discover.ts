// NAT behaviour discovery (RFC 5780): checks the input, resolves the servers, picks one when several
// are given, builds the plan of tests (plan.ts), runs it (execute.ts) and hands the evidence to
// classify.ts. The schedule of the tests, and why, is in plan.ts.
import type { NatEndpoint, NatFamily, NatProgress, NatResult } from '../../shared/nat'
import { classifyNat } from './classify'
import { executePlan, type Picked } from './execute'
import { lifetimeSteps } from './lifetime'
import { hostIps, routeSource } from './local'
import { interfaceOf } from '../net/interfaces'
import { pickServer } from './pick'
import { buildNatPlan, type NatPlan } from './plan'
import { NatInputError, resolveServer, serverSpec, type ServerInput } from './resolve'
import { Run } from './run'
import { DEFAULT_NAT_TIMING, type NatTiming } from './timing'

export { NatInputError } from './resolve'
export { DEFAULT_NAT_TIMING, type NatTiming } from './timing'

export interface DiscoverNatOptions {
  /** One server (stun:HOST:PORT, HOST:PORT or an endpoint), or a list: all are asked, the first RFC 5780 answer wins. */
  stun: ServerInput | ServerInput[]
  /** A second plain STUN server: without RFC 5780 on the first, mappings toward both are compared. */
  stun2?: ServerInput
  family?: NatFamily
  /** Longest wait for a first answer, ms (default 2000). */
  timeoutMs?: number
  /** Test hairpinning (default true). */
  hairpin?: boolean
  onProgress?: (progress: NatProgress) => void
  timing?: Partial<NatTiming>
  /** Also measure the mapping lifetime (off by default: it takes `maxS` seconds, default 120). */
  lifetime?: boolean | { maxS?: number; stepsS?: number[] }
  /** More TCP endpoints to try when UDP is silent (TURN over TCP or TLS): connecting to any means UDP is blocked, not the server down. */
  tcpAlso?: NatEndpoint[]
}

/**
 * Discovers the NAT between this host and the internet, for one address family.
 * Throws NatInputError for unusable input (a malformed server, an IP literal of the wrong family);
 * everything the network does (silence, errors, hostile packets) ends up in the result instead.
 */
export async function discoverNat(options: DiscoverNatOptions): Promise<NatResult> {
  const family: NatFamily = options.family ?? 4
  if (family !== 4 && family !== 6) throw new NatInputError(`family must be 4 or 6, got ${String(family)}`)
  const timing: NatTiming = { ...DEFAULT_NAT_TIMING, ...options.timing }
  if (options.timeoutMs !== undefined) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new NatInputError(`bad timeout ${options.timeoutMs}`)
    timing.firstAnswerMs = options.timeoutMs
  }
  const candidates = Array.isArray(options.stun) ? options.stun : [options.stun]
  if (candidates.length === 0) throw new NatInputError('no STUN server given')
  // Validate everything before the first packet: bad input is the caller's error, not a network result.
  candidates.forEach(serverSpec)
  if (options.stun2 !== undefined) serverSpec(options.stun2)
  const lifetime = options.lifetime
  if (typeof lifetime === 'object' && lifetime.maxS !== undefined && !(Number.isFinite(lifetime.maxS) && lifetime.maxS >= 1 && lifetime.maxS <= 3600)) {
    throw new NatInputError(`lifetime maxS must be 1 to 3600 seconds, got ${lifetime.maxS}`)
  }

  const run = new Run(family, timing, options.onProgress ?? (() => {}))
  try {
    return await discover(run, candidates, options)
  } finally {
    await run.close()
  }
}

async function discover(run: Run, candidates: ServerInput[], options: DiscoverNatOptions): Promise<NatResult> {
  const family = run.family
  const [resolved, resolved2] = await Promise.all([
    Promise.all(candidates.map((c) => resolveServer(c, family))),
    options.stun2 === undefined ? Promise.resolve(undefined) : resolveServer(options.stun2, family)
  ])
  const usable = resolved.flatMap((r) => (r.ok ? [r] : []))
  if (usable.length === 0) {
    const why = resolved.map((r) => (r.ok ? '' : r.reason)).join('; ')
    return emptyResult(run, family, why, null)
  }
  const lifetime = options.lifetime
  const plan = buildNatPlan({
    family,
    candidates: usable.map((u) => u.endpoint),
    server2: resolved2?.ok ? resolved2.endpoint : null,
    hairpin: options.hairpin ?? true,
    lifetimeStepsS: !lifetime ? null : typeof lifetime === 'object' && lifetime.stepsS ? lifetime.stepsS : lifetimeSteps(typeof lifetime === 'object' ? (lifetime.maxS ?? 120) : 120),
    timing: run.timing,
    tcpAlso: options.tcpAlso
  })

  let primary = usable[0]!
  let pre: Picked | undefined
  if (plan.candidates.length > 1) {
    const picked = await pickServer(run, usable, plan.steps.find((s) => s.test === 'mapping-1')!.budget)
    if (!picked) {
      return emptyResult(run, family, `none of the ${usable.length} STUN servers answered over UDP (${usable.map((u) => u.host).join(', ')})`, null)
    }
    primary = picked.candidate
    pre = picked
  }
  run.progress({ kind: 'server', server: primary.endpoint, host: primary.host })
  return runAgainst(run, plan, primary.endpoint, pre)
}

async function runAgainst(run: Run, plan: NatPlan, server: NatEndpoint, pre: Picked | undefined): Promise<NatResult> {
  const family = run.family
  const route = await routeSource(server, family)
  const { tests, mapping: A, serverReach, lifetime } = await executePlan(run, plan, server, pre)
  const byName = (n: NatResult['tests'][number]['name']) => tests.find((t) => t.name === n)
  const test1 = byName('mapping-1')
  const mapped = test1?.result === 'reply' ? test1.mapped : null
  const locals = hostIps(family)
  if (route && !locals.includes(route)) locals.push(route)
  const classification = classifyNat({ server, server2: plan.server2, localPort: A.port, localAddresses: locals, serverReach, tests })
  const hp = byName('hairpin')
  return withVia({
    family,
    ...classification,
    local: route ? { address: route, port: A.port } : null,
    mapped,
    server,
    otherAddress: test1?.otherAddress ?? null,
    portPreserved: mapped ? mapped.port === A.port : null,
    hairpin: hp && hp.result !== 'error' && hp.result !== 'skipped' ? hp.result === 'reply' : null,
    serverReach,
    durationMs: Math.round(performance.now() - run.t0),
    rttMs: run.rto.srttMs === undefined ? null : Math.round(run.rto.srttMs * 100) / 100,
    tests,
    ...(lifetime ? { lifetime } : {}),
    ignored: run.sockets.flatMap((s) => s.ignored)
  }, route ? interfaceOf(route) : undefined)
}

/**
 * The interface our traffic toward the server leaves by. A VPN-like one (an exit node routes
 * everything into the tunnel) means the result describes the tunnel's exit, not this side's NAT: say so.
 */
export function withVia(nat: NatResult, via: { name: string; vpnLike: boolean } | undefined): NatResult {
  if (!via) return nat
  const out: NatResult = { ...nat, via: { interface: via.name, vpnLike: via.vpnLike } }
  if (via.vpnLike) out.reason = `${nat.reason} (the STUN server was reached through the VPN interface ${via.name}: this describes the tunnel's exit, not this side's own NAT)`
  return out
}

function emptyResult(run: Run, family: NatFamily, reason: string, server: NatEndpoint | null): NatResult {
  return {
    family,
    mapping: 'unknown',
    filtering: 'unknown',
    classic: 'unknown',
    method: 'none',
    reason,
    local: null,
    mapped: null,
    server,
    otherAddress: null,
    portPreserved: null,
    hairpin: null,
    serverReach: 'not-tested',
    durationMs: Math.round(performance.now() - run.t0),
    rttMs: null,
    tests: [],
    ignored: run.sockets.flatMap((s) => s.ignored)
  }
}
