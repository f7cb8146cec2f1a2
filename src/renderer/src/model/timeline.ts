// The timeline card: every event in words (the shared one-line text), in time order, newest last.
// The invite is shown without its room secret: a screenshot of the timeline must not let anyone in.
import type { RunEvent } from '../../../shared/run'
import { clock, eventText } from '../../../shared/format'

export interface TimelineRow {
  key: number
  at: string
  text: string
  tone: 'normal' | 'error' | 'good'
}

/** An invite URL with the secret after # replaced by "#…". */
export function withoutSecret(url: string): string {
  const i = url.indexOf('#')
  return i < 0 ? url : `${url.slice(0, i)}#…`
}

function text(e: RunEvent): string {
  if (e.kind === 'invite') return `invite ${withoutSecret(e.url)} (secret hidden)`
  // The shared words say "ICE gathering <state>": the "gathering" state would read twice.
  if (e.kind === 'gathering') return e.state === 'gathering' ? 'ICE gathering started' : e.state === 'complete' ? 'ICE gathering complete' : `ICE gathering: ${e.state}`
  return eventText(e)
}

export function timelineRows(events: RunEvent[], limit = 300): TimelineRow[] {
  // Events from the engine, the NAT check and the other side can arrive out of order: sort by time, stably.
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i)
  const start = Math.max(0, ordered.length - limit)
  return ordered.slice(start).map(({ e, i }) => ({
    key: i,
    at: clock(e.atMs),
    text: text(e),
    tone: e.kind === 'error' || e.kind === 'warning' ? 'error' : e.kind === 'selected-pair' || e.kind === 'channel-open' ? 'good' : 'normal'
  }))
}
