import type { PairInfo, SessionEvent } from '../shared/session'
import type { PairSnapshot } from './stats'

type PairEvent = Omit<Extract<SessionEvent, { kind: 'pair' }>, 'atMs'>

/**
 * Folds one getStats sample into the pairs seen so far (keyed by id, with their state history):
 * returns the pair events to record and whether anything the page shows changed. Counters and RTT
 * change on every sample: they are kept, but only a new state or nomination is an event.
 */
export function foldPairs(known: Map<string, PairInfo>, snaps: PairSnapshot[], atMs: number): { events: PairEvent[]; changed: boolean } {
  const events: PairEvent[] = []
  let changed = false
  for (const snap of snaps) {
    const old = known.get(snap.id)
    if (!old) {
      const info: PairInfo = { ...snap, history: [{ state: snap.state, atMs }] }
      known.set(snap.id, info)
      events.push({ kind: 'pair', pair: structuredClone(info) })
      changed = true
      continue
    }
    const moved = old.state !== snap.state
    const history = moved ? [...old.history, { state: snap.state, atMs }] : old.history
    const event = moved || old.nominated !== snap.nominated
    if (event || old.rttMs !== snap.rttMs) changed = true
    Object.assign(old, snap, { history })
    if (event) events.push({ kind: 'pair', pair: structuredClone(old) })
  }
  return { events, changed }
}
