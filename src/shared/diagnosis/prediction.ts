// What the two NAT behaviours allow, said before connecting, and how that compares with what
// happened: the engine (the session's reason), the reports (findings) and the app (the prediction
// beside the verdict) all use these two rules.
import type { NatFiltering, NatMapping, NatResult } from '../nat'
import type { PredictedVerdict, Prediction } from '../report'
import type { Verdict } from '../session'
import { natShort } from '../format/sides'

export interface PredictInput {
  host?: (Pick<NatResult, 'mapping' | 'filtering' | 'classic' | 'mapped'> & Partial<Pick<NatResult, 'hairpin'>>) | null
  join?: (Pick<NatResult, 'mapping' | 'filtering' | 'classic' | 'mapped'> & Partial<Pick<NatResult, 'hairpin'>>) | null
  /** A TURN server is configured on at least one side. */
  turn: boolean
  /**
   * Which sides have a TURN server of their own that they can reach over TCP or TLS: a side whose UDP
   * is blocked needs one (werift falls back to TCP on the TURN port by itself). Default: `turn` for both.
   */
  turnTcp?: { host: boolean; join: boolean }
  /**
   * Whether the two sides' host addresses share a subnet (one side's interface prefix holds both);
   * undefined when not known. Only read when both sides leave through the same public address.
   */
  sameSubnet?: boolean
}

const predictable = (m: NatMapping): boolean => m === 'none' || m === 'endpoint-independent'

/**
 * Can a packet from `from` reach `to` when both follow ICE (each sends to the other's server-reflexive
 * address)? `to` accepts it when its advertised address is its real mapping toward `from` and its
 * filter lets `from`'s source through: any source (endpoint-independent), the same IP it sent to
 * (address-dependent, assuming one public address per side), or the exact endpoint it sent to, which
 * only holds when `from`'s mapping does not change with the destination.
 */
export function canReach(to: { mapping: NatMapping; filtering: NatFiltering }, from: { mapping: NatMapping }): boolean {
  if (to.filtering === 'endpoint-independent') return true
  if (!predictable(to.mapping)) return false
  if (to.filtering === 'address-dependent') return true
  return predictable(from.mapping)
}

/**
 * What the two NAT behaviours allow, said before connecting. Hole punching works when either side can
 * receive the other's first packet; the answer then flows back through the hole the first one made.
 */
type Side = NonNullable<PredictInput['host']>

export function predict({ host, join, turn, turnTcp = { host: turn, join: turn }, sameSubnet }: PredictInput): Prediction {
  const relay = (why: string): Prediction =>
    turn
      ? { verdict: 'relayed', reason: `${why}: expect the TURN relay` }
      : { verdict: 'failed', reason: `${why}, and no TURN server is configured: expect no connection` }
  if (!host || !join) {
    const missing = !host && !join ? 'neither side' : !host ? 'the host' : 'the joiner'
    return { verdict: 'unknown', reason: `no prediction: ${missing} measured its NAT` }
  }
  const blocked = (['host', 'join'] as const).filter((r) => (r === 'host' ? host : join).classic === 'udp-blocked')
  if (blocked.length) {
    const word = (r: 'host' | 'join'): string => (r === 'host' ? 'the host' : 'the joiner')
    const who = blocked.length === 2 ? 'both the host and the joiner' : word(blocked[0]!)
    const stuck = blocked.filter((r) => !turnTcp[r])
    if (stuck.length === 0) return { verdict: 'relayed', reason: `UDP is blocked on ${who}, so only a TURN relay over TCP or TLS can connect` }
    return {
      verdict: 'failed',
      reason: `UDP is blocked on ${who}, and ${stuck.length === 2 ? 'neither has' : `${word(stuck[0]!)} has no`} TURN server of its own to reach over TCP or TLS: expect no connection`
    }
  }
  if (host.mapped && join.mapped && host.mapped.address === join.mapped.address && host.mapping !== 'none') {
    return sameNat(host.mapped.address, host, join, sameSubnet, relay)
  }
  const unknown = [host, join].find((s) => s.mapping === 'unknown' || s.filtering === 'unknown')
  // One sentence: what each side has, then what follows from it (no "host: ...: ..." chains).
  const both = `the host has ${natShort(host)} and the joiner has ${natShort(join)}`
  if (unknown) {
    // With one side unmeasured we can still be sure in one direction: an open side receives anything.
    if (canReach(host, join) && host.filtering !== 'unknown' && host.mapping !== 'unknown') {
      return { verdict: 'direct', reason: `${both}; the host accepts the joiner's first packet whatever the joiner's NAT, so direct should work` }
    }
    if (canReach(join, host) && join.filtering !== 'unknown' && join.mapping !== 'unknown') {
      return { verdict: 'direct', reason: `${both}; the joiner accepts the host's first packet whatever the host's NAT, so direct should work` }
    }
    return { verdict: 'unknown', reason: `${both}, which is not enough to predict` }
  }
  if (canReach(host, join) || canReach(join, host)) {
    if (predictable(host.mapping) && predictable(join.mapping)) {
      return { verdict: 'direct', reason: `${both}; both mappings are endpoint-independent, so hole punching works` }
    }
    const open = canReach(host, join) ? 'host' : 'joiner'
    return { verdict: 'direct', reason: `${both}; one mapping changes per destination, but the ${open}'s NAT lets the other side's first packet in, so hole punching works` }
  }
  if (!predictable(host.mapping) && !predictable(join.mapping)) {
    return relay(`${both}; both mappings change per destination, so hole punching cannot work`)
  }
  const sym = predictable(host.mapping) ? 'joiner' : 'host'
  return relay(`${both}; the ${sym}'s mapping changes per destination and the other side only accepts the exact address it sent to, so hole punching cannot work`)
}

/**
 * Both sides behind one NAT: host candidates connect when the sides share a subnet; otherwise each
 * side's server-reflexive address only works when the router loops a packet sent to its own public
 * address back inside (hairpinning), which both sides measured.
 */
function sameNat(address: string, host: Side, join: Side, sameSubnet: boolean | undefined, relay: (why: string) => Prediction): Prediction {
  const where = `both sides leave through the same public address ${address}`
  if (sameSubnet === true) return { verdict: 'direct', reason: `${where} and their host addresses share a subnet: direct via host candidates` }
  if (host.hairpin === true || join.hairpin === true) {
    return { verdict: 'direct', reason: `${where} and the router loops packets to it back inside (hairpin): direct via the hairpin, between server-reflexive candidates` }
  }
  const noLoop = host.hairpin === false || join.hairpin === false
  if (noLoop && sameSubnet === false) return relay(`${where}, the router does not loop back (no hairpin) and the segments are separate`)
  const unknown = [noLoop ? '' : 'hairpinning', sameSubnet === undefined ? 'whether the host addresses share a subnet' : ''].filter(Boolean).join(' and ')
  return { verdict: 'direct', reason: `${where}: they likely share a network, so host candidates should connect directly (${unknown} not measured)` }
}

/** A prediction beside the outcome. */
export interface PredictionComparison {
  /** null when nothing was predicted ("unknown"). */
  agrees: boolean | null
  /** One line: the outcome against the prediction, and the usual cause when they disagree. */
  text: string
  /** The same with what to check, for the session's reason; equal to text when there is no more to say. */
  note: string
}

/** Observed beside predicted, flagged when they disagree, with what the disagreement usually means. */
export function comparePrediction(predicted: PredictedVerdict, observed: Verdict): PredictionComparison {
  const say = (agrees: boolean | null, text: string, more?: string): PredictionComparison => ({ agrees, text, note: more ? `${text} ${more}` : text })
  if (predicted === 'unknown') return say(null, 'no prediction')
  // The prediction is about the internet path; a path inside a VPN tunnel neither confirms nor refutes it.
  if (observed === 'tunneled') return say(null, `predicted ${predicted} for the internet path; this path ran inside a VPN tunnel (run without --include-vpn to test the internet path)`)
  if (predicted === observed) return say(true, `as predicted: ${observed}`)
  if (predicted === 'direct' && observed === 'relayed') {
    return say(false, 'the NAT types allow direct, yet it relayed: a firewall or a route is in the way', '(a VPN interface, a blocked UDP port range, or a policy that drops peer-to-peer traffic)')
  }
  if (predicted === 'direct' && observed === 'failed') {
    return say(false, 'the NAT types allow direct, yet nothing connected: a firewall drops UDP between the sides, or a route sends it elsewhere')
  }
  if (observed === 'direct') {
    return say(false, 'the NAT types predicted no direct path, yet direct worked: the sides may share a network (host candidates), or a NAT is friendlier than measured')
  }
  if (predicted === 'relayed' && observed === 'failed') {
    return say(false, 'a relay was expected but nothing connected: check the TURN server probe (credentials, reachability, allowed transports)')
  }
  return say(false, 'it relayed where the prediction said nothing could connect: a TURN server did its job')
}
