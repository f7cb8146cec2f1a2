// The CLI's progress lines: the shared one-line text of each event (src/shared/format/events.ts),
// stamped with the session clock, minus the events too chatty for a terminal.
import type { RunEvent } from '../shared/run'
import { eventText, serverProbeText } from '../shared/format/events'

/** Events a terminal does not need: every ICE check, every probe, every signaling message. */
function chatty(e: RunEvent): boolean {
  switch (e.kind) {
    case 'pair':
      // A pair never checked is not news: only checks that succeeded or failed are printed.
      return (e.pair.state !== 'succeeded' && e.pair.state !== 'failed') || e.pair.unchecked !== undefined
    case 'attempt':
      return e.attempt === 1 && e.outcome === 'started'
    case 'gathering':
    case 'probe':
    case 'signal':
    case 'clock-offset':
    case 'invite':
    case 'blob':
      return true
    default:
      return false
  }
}

/** One human line for a session event, or undefined for events too chatty to print. */
export function eventLine(e: RunEvent): string | undefined {
  if (chatty(e)) return undefined
  switch (e.kind) {
    // What the run says about itself, before the session's clock means anything: no stamp.
    case 'address':
      return `  ${eventText(e)}`
    case 'waiting':
      return `${eventText(e)}...`
    case 'joined':
      return eventText(e)
    case 'servers':
      return e.probes.map(serverProbeText).join('\n')
    default:
      return `[${(e.atMs / 1000).toFixed(3).padStart(7)}s] ${eventText(e)}`
  }
}
