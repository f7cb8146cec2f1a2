import type { NatResult } from '../nat'

const MAPPINGS = ['none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown']
const FILTERINGS = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown']

/** The other side's NAT result as it sent it: kept only when it has the shape of one. */
export function readPeerNat(value: unknown): NatResult | null {
  const v = value as Partial<NatResult> | null | undefined
  if (!v || typeof v !== 'object') return null
  if (!MAPPINGS.includes(String(v.mapping)) || !FILTERINGS.includes(String(v.filtering)) || typeof v.classic !== 'string' || typeof v.reason !== 'string') return null
  return v as NatResult
}
