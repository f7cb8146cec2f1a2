// The timeline card: every event in words (the shared one-line text), newest last.
import type { RunEvent } from '../../../shared/run'
import { clock, eventText } from '../../../shared/format'

export interface TimelineRow {
  key: number
  at: string
  text: string
  tone: 'normal' | 'error' | 'good'
}

export function timelineRows(events: RunEvent[], limit = 300): TimelineRow[] {
  const start = Math.max(0, events.length - limit)
  return events.slice(start).map((e, i) => ({
    key: start + i,
    at: clock(e.atMs),
    text: eventText(e),
    tone: e.kind === 'error' || e.kind === 'warning' ? 'error' : e.kind === 'selected-pair' || e.kind === 'channel-open' ? 'good' : 'normal'
  }))
}
