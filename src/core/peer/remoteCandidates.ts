// What other WebRTC stacks send, made acceptable to werift before it sees it (docs/signaling.md,
// "Third-party peers"): pure helpers for attempt.ts.
import type { CandidateInfo } from '../../shared/session'
import { isMdnsName, parseCandidateLine } from '../../shared/protocol/candidateLine'

export interface CandidateInit {
  candidate: string
  sdpMid?: string
  sdpMLineIndex?: number
  usernameFragment?: string
}

/** The media sections of a description: their mid (`a=mid:`) and ICE username fragment, in order. */
export function mediaSections(sdp: string): Array<{ mid?: string; ufrag?: string }> {
  const out: Array<{ mid?: string; ufrag?: string }> = []
  let sessionUfrag: string | undefined
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) out.push({ ufrag: sessionUfrag })
    const section = out[out.length - 1]
    if (line.startsWith('a=mid:') && section) section.mid = line.slice(6).trim()
    if (line.startsWith('a=ice-ufrag:')) {
      if (section) section.ufrag = line.slice(12).trim()
      else sessionUfrag = line.slice(12).trim()
    }
  }
  return out
}

/**
 * The candidate as werift will take it. werift refuses a candidate whose sdpMid names no media section,
 * even an empty one (pion sends `sdpMid: ""`), and one without sdpMid and sdpMLineIndex. An empty or
 * unknown sdpMid falls back to sdpMLineIndex, and an index out of range to the first section (peerlens
 * offers a single one, the data channel's). A usernameFragment that is not a string is dropped.
 */
export function targetFor(init: Record<string, unknown>, sdp: string): CandidateInit {
  const sections = mediaSections(sdp)
  const out: CandidateInit = { candidate: String(init.candidate) }
  const mid = init.sdpMid
  const index = init.sdpMLineIndex
  if (typeof mid === 'string' && mid !== '' && sections.some((s) => s.mid === mid)) out.sdpMid = mid
  else out.sdpMLineIndex = Number.isInteger(index) && (index as number) >= 0 && (index as number) < sections.length ? (index as number) : 0
  if (typeof init.usernameFragment === 'string' && init.usernameFragment !== '') out.usernameFragment = init.usernameFragment
  return out
}

/** The candidate lines of a description, and whether it says the candidates are complete. */
export function sdpCandidates(sdp: string): { lines: string[]; complete: boolean } {
  const lines: string[] = []
  let complete = false
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('a=candidate:')) lines.push(line.slice(2).trim())
    if (line.trim() === 'a=end-of-candidates') complete = true
  }
  return { lines, complete }
}

/**
 * A description without its `.local` candidate lines: werift would resolve each with a 10 s mDNS wait.
 * They are handed over one by one instead, like trickled ones (resolved in the background, briefly).
 */
export function withoutMdnsCandidates(sdp: string): { sdp: string; mdns: string[] } {
  const mdns: string[] = []
  const kept = sdp.split('\r\n').filter((line) => {
    if (!line.startsWith('a=candidate:')) return true
    const c = parseCandidateLine(line, 0)
    if (!c || !isMdnsName(c.address)) return true
    mdns.push(line.slice(2))
    return false
  })
  return { sdp: kept.join('\r\n'), mdns }
}

/** The same candidate line with its address replaced (an mDNS name by the address it resolved to). */
export function withAddress(line: string, address: string): string {
  const words = line.trim().split(/\s+/)
  if (words.length > 4) words[4] = address
  return words.join(' ')
}

/** Two candidate records name the same candidate (it came in the description and trickled too). */
export function sameCandidate(a: CandidateInfo, b: CandidateInfo): boolean {
  return a.type === b.type && a.protocol === b.protocol && a.address === b.address && a.port === b.port
}

/**
 * The other side's candidates this side's stack refused (an unresolved mDNS name is not refused: it is
 * a hidden address), in words for a failure reason; undefined when none was.
 */
export function refusedSummary(remote: CandidateInfo[]): string | undefined {
  const refused = remote.filter((c) => c.refused && !isMdnsName(c.address))
  if (!refused.length) return undefined
  const reasons = [...new Set(refused.map((c) => c.refused))]
  const all = refused.length === remote.filter((c) => !isMdnsName(c.address)).length
  const count = all ? `${refused.length === 1 ? "the other side's only candidate was" : `the other side's ${refused.length} candidates were`}` : `${refused.length} of the other side's candidates were`
  return `${count} refused: ${reasons.join('; ')}`
}
