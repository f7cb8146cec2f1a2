// A direct pair that ran through the router's hairpin: the other side's address is our own public
// address (two peers behind one router, reaching each other's server-reflexive candidates).
import type { SelectedPair } from '../session'

/** What to add to a direct verdict's reason when the pair looped through the shared router ('' otherwise). */
export function hairpinNote(selectedPair: SelectedPair | null, ownPublic: ReadonlyArray<string>): string {
  const remote = selectedPair?.remote
  if (!remote || remote.type === 'host' || remote.type === 'relay' || !ownPublic.includes(remote.address)) return ''
  return `, through the router's hairpin (${remote.address} is this side's own public address too)`
}
