import type { CandidateInfo, PairInfo, SelectedPair, SessionEvent, Verdict } from '../shared/session'
import { p50 } from '../shared/percentile'

/** What the page knows when it writes its half of the report. */
export interface PageSide {
  name: string
  version: string
  startedAt: string
  verdict: { verdict: Verdict; reason: string }
  selected: SelectedPair | null
  connectedAfterMs: number | null
  rtts: number[]
  local: CandidateInfo[]
  remote: CandidateInfo[]
  pairs: PairInfo[]
  events: SessionEvent[]
}

/**
 * This side's half of the report in the SideReport shape (src/shared/report.ts), with what a
 * page can know: no interfaces, no NAT type, the OS only as the browser names it.
 */
export function pageSide(s: PageSide, userAgent: string): unknown {
  const channelWorks = s.connectedAfterMs !== null
  return {
    role: 'join',
    name: s.name,
    app: { name: 'peerlens-web', version: s.version },
    os: browserOs(userAgent),
    userAgent,
    startedAt: s.startedAt,
    verdict: s.verdict.verdict,
    reason: s.verdict.reason,
    selectedPair: channelWorks ? s.selected : null,
    rttMs: p50(s.rtts),
    connectedAfterMs: s.connectedAfterMs,
    candidates: { local: s.local, remote: s.remote },
    pairs: s.pairs,
    events: s.events
  }
}

/** The OS as far as a page can tell, from the user agent: its platform, and the browser in place of a release. */
export function browserOs(ua: string): { platform: string; release: string; arch: string } {
  const platform = /Android/.test(ua) ? 'android' : /iPhone|iPad/.test(ua) ? 'ios' : /Windows/.test(ua) ? 'win32' : /Mac OS X/.test(ua) ? 'darwin' : /CrOS/.test(ua) ? 'chromeos' : /Linux/.test(ua) ? 'linux' : 'unknown'
  const browser = /(Firefox|Edg|OPR|Chrome|Version)\/([\d.]+)/.exec(ua)
  return { platform, release: browser ? `browser ${browser[1] === 'Version' ? 'Safari' : browser[1]} ${browser[2]}` : 'browser', arch: 'unknown' }
}
