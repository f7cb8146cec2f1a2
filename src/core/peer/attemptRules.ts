import type { NatResult } from '../../shared/nat'
import type { Role } from '../../shared/session'
import { FEATURE_NAT, FEATURE_PORT_TEST, FEATURE_RELAY_ATTEMPT, FEATURE_THROUGHPUT, FEATURE_TURN, FEATURE_UDP_PROBES } from '../../shared/protocol/messages'
import type { PredictInput } from '../../shared/diagnosis/prediction'
import { shareSubnet } from '../../shared/diagnosis/remedies'
import type { IceOptions } from './iceConfig'
import type { AttemptView } from './records'
import type { PairInfo } from '../../shared/session'
import type { PredictedVerdict } from '../../shared/report'
import { DIRECT_CONNECTING_MS, DIRECT_EXPECTED_MS, DIRECT_WINDOW_MS } from './waits'

// Which attempts a session runs, with which settings, and which one it uses. Pure: the session
// (session.ts) asks, these answer (test/core/peer/attemptRules.test.ts).

export type Policy = 'all' | 'relay'

/** What this side knows about itself and the other side when it decides. */
export interface Sides {
  role: Role
  hasTurn: boolean
  /** The other side announced each of these features in its hello. */
  peer: (feature: string) => boolean
}

/** The features this side announces in its hello. */
export function ownFeatures(o: { discoverNat: boolean; hasTurn: boolean }): string[] {
  const f = [FEATURE_RELAY_ATTEMPT, FEATURE_PORT_TEST, FEATURE_THROUGHPUT, FEATURE_UDP_PROBES]
  if (o.discoverNat) f.push(FEATURE_NAT)
  if (o.hasTurn) f.push(FEATURE_TURN)
  return f
}

/** Two attempts (all candidates, and relay only) when a TURN server is known on either side and both speak it. */
export function expectedAttempts(s: Sides, relayAttempt = true): number {
  const turnSomewhere = s.hasTurn || s.peer(FEATURE_TURN)
  return relayAttempt && turnSomewhere && s.peer(FEATURE_RELAY_ATTEMPT) ? 2 : 1
}

/** The host's policy for the second attempt, and the joiner's for any: relay-only where this side has a TURN server. */
export function attemptPolicy(id: number, hasTurn: boolean): Policy {
  return id === 2 && hasTurn ? 'relay' : 'all'
}

/**
 * The ICE settings for an attempt. With UDP blocked (our own NAT discovery says so), TURN goes
 * straight to TCP: werift would otherwise wait out its UDP allocation for seconds before it falls back.
 */
export function iceForAttempt(ice: IceOptions, nat: NatResult | null | undefined): { ice: IceOptions; warning?: string } {
  if (nat?.classic !== 'udp-blocked') return { ice }
  const turn = ice.turn.map((u) => (u.startsWith('turn:') && !u.includes('?transport=') ? `${u}?transport=tcp` : u))
  // No STUN answer will come: do not let werift wait for one before it starts checking.
  const out = { ice: { ...ice, turn, stunGatherTimeoutS: 0.3 } }
  return turn.join() !== ice.turn.join() ? { ...out, warning: 'UDP is blocked here: asking the TURN server over TCP' } : out
}

/**
 * What to do when an attempt's data channel opens before any path is chosen: use it, leave the choice
 * to the host (joiner), or (host, relay path first) give the direct attempt a grace period.
 */
export function onOpen(s: Sides, opened: AttemptView, first: AttemptView | undefined): 'choose' | 'host-decides' | 'grace' {
  if (s.role === 'join') return s.peer(FEATURE_RELAY_ATTEMPT) ? 'host-decides' : 'choose'
  return opened.id === 1 || !first || first.failure ? 'choose' : 'grace'
}

/** The first attempt, as the relay decision sees it: its start, its end, its pairs' states. */
export interface DirectView {
  startedAtMs: number
  connectedAtMs: number | null
  failure: string | undefined
  pairs: Iterable<Pick<PairInfo, 'state' | 'local' | 'remote'>>
}

/**
 * Can the first attempt still bring a direct path? 'connecting': a pair passed its checks (DTLS and
 * the channel follow); 'none': the attempt failed, or the NAT prediction says no direct pair can work
 * and no pair the prediction does not cover (IPv6 on both ends) is still being checked; else 'possible'.
 */
export function directChance(first: DirectView, prediction: PredictedVerdict | undefined): 'none' | 'connecting' | 'possible' {
  if (first.failure) return 'none'
  const pairs = [...first.pairs]
  if (pairs.some((p) => p.state === 'succeeded')) return 'connecting'
  const v6 = (a: string): boolean => a.includes(':') && !/^fe80:/i.test(a)
  const outside = pairs.some((p) => p.state !== 'failed' && v6(p.local.address) && v6(p.remote.address))
  if ((prediction === 'relayed' || prediction === 'failed') && !outside) return 'none'
  return 'possible'
}

/**
 * With the relay path up and the first attempt still running (host): use the relay now, or look again
 * at `recheckAtMs`. A direct path still possible gets a bounded window from the first attempt's start
 * (DIRECT_WINDOW_MS; longer once a pair passed its checks, or when the prediction expects direct), so
 * the verdict stays within the relayed target whatever the first attempt does.
 */
export function relayDecision(first: DirectView, prediction: PredictedVerdict | undefined, nowMs: number): 'use-relay' | { recheckAtMs: number } {
  const chance = directChance(first, prediction)
  if (chance === 'none') return 'use-relay'
  const window = Math.max(chance === 'connecting' ? DIRECT_CONNECTING_MS : DIRECT_WINDOW_MS, prediction === 'direct' ? DIRECT_EXPECTED_MS : 0)
  const until = first.startedAtMs + window
  return nowMs >= until ? 'use-relay' : { recheckAtMs: Math.min(until, nowMs + 100) }
}

/** When an attempt fails before a choice: use one already open (host), fail when all are done, else wait. */
export function onFailed(s: Sides, attempts: AttemptView[], expected: number): { choose: AttemptView } | 'fail' | 'wait' {
  const open = attempts.find((a) => a.connectedAtMs !== null)
  if (open && s.role === 'host') return { choose: open }
  return attempts.every((a) => a.failure) && attempts.length >= expected ? 'fail' : 'wait'
}

/**
 * The prediction's input once both NAT results are in (or known absent); undefined while one is awaited.
 * werift falls back to TCP on the TURN port by itself: a side with a TURN server can reach it over TCP.
 * `subnets`: this machine's interface addresses with their prefixes (do the two host addresses share one?).
 */
export function predictionInput(
  s: Sides & { peerKnown: boolean },
  nat: NatResult | null | undefined,
  peerNat: NatResult | null | undefined,
  subnets: Array<{ address: string; prefixLength: number | null }> = []
): PredictInput | undefined {
  if (nat === undefined || !s.peerKnown) return undefined
  if (s.peer(FEATURE_NAT) && peerNat === undefined) return undefined
  const own = nat ?? null
  const other = peerNat ?? null
  const peerTurn = s.peer(FEATURE_TURN)
  const [host, join] = s.role === 'host' ? [own, other] : [other, own]
  const turnTcp = s.role === 'host' ? { host: s.hasTurn, join: peerTurn } : { host: peerTurn, join: s.hasTurn }
  const locals = [own?.local?.address, other?.local?.address]
  const known = subnets.length > 0 && !!locals[0] && !!locals[1]
  return { host, join, turn: s.hasTurn || peerTurn, turnTcp, ...(known ? { sameSubnet: shareSubnet(locals[0]!, locals[1]!, [{ addresses: subnets }]) } : {}) }
}
