import { readPortList } from './portTest'

/** What each side says first: its name, version and the protocol extensions it speaks. */
export interface HelloData {
  name: string
  version: string
  features: string[]
}

/** A hello as read from the other side; a host's hello may also name the UDP ports to test. */
export interface PeerHello extends HelloData {
  portTests: number[]
}

/** Reads the other side's hello defensively: unknown fields are dropped, long strings cut. */
export function readHello(data: Record<string, unknown> | null): PeerHello {
  return {
    name: typeof data?.name === 'string' ? data.name.slice(0, 128) : 'unknown',
    version: typeof data?.version === 'string' ? data.version.slice(0, 64) : 'unknown',
    features: Array.isArray(data?.features) ? data.features.filter((f): f is string => typeof f === 'string') : [],
    portTests: readPortList(data?.portTests)
  }
}

/** The two sides run different versions (a side that did not say is not counted). */
export function isVersionMismatch(own: string, peer: string): boolean {
  return peer !== own && peer !== 'unknown'
}
