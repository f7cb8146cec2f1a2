// Which candidate pairs an attempt lets werift check (pure but for the interface lookup).
import type { CandidatePair } from '../werift/rtc'
import { isRelayed } from '../../shared/path'
import { isPrivateAddress } from '../net/addresses'
import { localAddresses } from '../net/interfaces'
import type { Exclusions } from './attempt'

export function excludedAddresses(exclusions: Exclusions): Set<string> {
  const set = new Set(exclusions.addresses ?? [])
  if (exclusions.interfaces?.length) {
    for (const a of localAddresses()) if (exclusions.interfaces.includes(a.name)) set.add(a.address)
  }
  return set
}

/**
 * Pairs werift should not check. Relay pairs, when `directOnly`. Excluded local addresses (a chosen interface, e.g. the VPN tunnel).
 * And a relay candidate on a public TURN server paired with a private remote address: the server
 * cannot reach it, and coturn answers a send to an unroutable peer by deleting the whole allocation,
 * which kills every relay pair of the attempt.
 */
export function keepPair(pair: Pick<CandidatePair, 'localCandidate' | 'remoteCandidate'>, excluded: Set<string>, directOnly = false): boolean {
  const local = pair.localCandidate
  // werift nominates aggressively: whichever pair answers first wins, so a relay pair can beat a direct
  // one by a millisecond. With a relay-only attempt beside, the first attempt checks direct pairs only.
  if (directOnly && isRelayed({ local, remote: pair.remoteCandidate })) return false
  const base = local.type === 'host' ? local.host : local.relatedAddress
  if (base && excluded.has(base)) return false
  if (local.type === 'relay' && !isPrivateAddress(local.host) && isPrivateAddress(pair.remoteCandidate.host)) return false
  return true
}
