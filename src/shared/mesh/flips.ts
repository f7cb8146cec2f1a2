// A flip: a pair whose path kind, NAT type or public address changed between two tests, with the
// likely cause. Pure: the agent, its history and (later) the app read it from here.
import { findingKey } from '../diagnosis/compare'
import type { PairRecord } from './record'

export type FlipKind = 'path' | 'nat' | 'public-address'

export interface FlipState {
  verdict: string
  nat: { self: string | null; peer: string | null }
  publicAddress: { self: string | null; peer: string | null }
}

export interface Flip {
  kind: 'flip'
  at: string
  self: string
  peer: string
  changes: FlipKind[]
  before: FlipState
  after: FlipState
  /** The likely cause, in words, or null when nothing in the reports points at one. */
  cause: string | null
  text: string
}

const state = (r: PairRecord): FlipState => ({ verdict: r.verdict, nat: { ...r.nat }, publicAddress: { ...r.publicAddress } })

/** Known both times and different: a side whose NAT type could not be measured once is no change. */
const moved = (a: string | null, b: string | null): boolean => a !== null && b !== null && a !== b

/** The flip from `before` to `after` (the same pair's previous and latest tests), or null when nothing changed. */
export function detectFlip(before: PairRecord | undefined, after: PairRecord): Flip | null {
  if (!before) return null
  const changes: FlipKind[] = []
  if (before.verdict !== after.verdict) changes.push('path')
  const natSelf = moved(before.nat.self, after.nat.self)
  const natPeer = moved(before.nat.peer, after.nat.peer)
  if (natSelf || natPeer) changes.push('nat')
  const addrSelf = moved(before.publicAddress.self, after.publicAddress.self)
  const addrPeer = moved(before.publicAddress.peer, after.publicAddress.peer)
  if (addrSelf || addrPeer) changes.push('public-address')
  if (!changes.length) return null
  const causes: string[] = []
  if (natSelf) causes.push(`the NAT type of ${after.self} changed from ${before.nat.self} to ${after.nat.self}`)
  if (natPeer) causes.push(`the NAT type of ${after.peer} changed from ${before.nat.peer} to ${after.nat.peer}`)
  const known = new Set(before.findings.map(findingKey))
  const appeared = after.findings.filter((f) => !known.has(findingKey(f))).sort((a, b) => (a.level === b.level ? 0 : a.level === 'bad' ? -1 : 1))[0]
  if (appeared) causes.push(appeared.text.replace(/\.$/, ''))
  if (addrSelf) causes.push(`the public address of ${after.self} changed from ${before.publicAddress.self} to ${after.publicAddress.self}`)
  if (addrPeer) causes.push(`the public address of ${after.peer} changed from ${before.publicAddress.peer} to ${after.publicAddress.peer}`)
  const cause = causes[0] ?? null
  const what = changes.includes('path') ? `${before.verdict} → ${after.verdict}` : `${after.verdict}, ${changes.join(' and ')} changed`
  return {
    kind: 'flip',
    at: after.at,
    self: after.self,
    peer: after.peer,
    changes,
    before: state(before),
    after: state(after),
    cause,
    text: `flip ${after.self} ↔ ${after.peer}: ${what}${cause ? ` (likely cause: ${cause})` : ''}`
  }
}
