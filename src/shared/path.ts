// Which way a connection goes: one rule for the engine, the app and the join page.

interface End {
  type: string
}

/** A pair goes through a TURN relay when either end is a relay candidate. */
export function isRelayed(pair: { local: End; remote: End }): boolean {
  return pair.local.type === 'relay' || pair.remote.type === 'relay'
}

/** The relay end of a pair (ours first), if it has one. */
export function relayEnd<T extends End>(pair: { local: T; remote: T }): T | undefined {
  return pair.local.type === 'relay' ? pair.local : pair.remote.type === 'relay' ? pair.remote : undefined
}
