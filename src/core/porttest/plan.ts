import type { CandidateInfo, Endpoint } from '../../shared/session'
import type { PortHalf } from './udpPortTest'

// The port test's signaling messages, read defensively: they come from the other side.

import { MAX_PORT_TESTS } from '../../shared/limits'
export { MAX_PORT_TESTS }

/** The host's plan: which ports, when (host wall clock, ms), and a nonce that marks our packets. */
export interface PortPlan {
  ports: number[]
  /** Host wall clock, ms. */
  startAt: number
  nonce: string
}

export function validPort(p: unknown): p is number {
  return Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536
}

export function readPortPlan(data: Record<string, unknown> | null): PortPlan | undefined {
  if (!data || !Array.isArray(data.ports) || typeof data.startAt !== 'number' || typeof data.nonce !== 'string') return undefined
  const ports = data.ports.filter(validPort).slice(0, MAX_PORT_TESTS)
  // A start time far away is not a plan we follow.
  if (!ports.length || Math.abs(data.startAt - Date.now()) > 60_000) return undefined
  return { ports, startAt: data.startAt, nonce: data.nonce.slice(0, 32) }
}

export function readPortHalf(data: Record<string, unknown> | null): PortHalf | undefined {
  if (!data || !validPort(data.port)) return undefined
  const endpoints = (v: unknown): Endpoint[] =>
    Array.isArray(v) ? v.filter((e) => e && typeof e.address === 'string' && validPort(e.port)).slice(0, 16).map((e) => ({ address: String(e.address), port: Number(e.port) })) : []
  const count = (v: unknown): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0)
  return { port: data.port, bound: data.bound === true, sent: count(data.sent), received: count(data.received), targets: endpoints(data.targets), from: endpoints(data.from) }
}

/** The other side's addresses worth sending to: every candidate's IP but relays and hidden (.local) ones. */
export function portTargets(remote: CandidateInfo[]): string[] {
  const out = new Set<string>()
  for (const c of remote) if (c.type !== 'relay' && !c.address.endsWith('.local') && !c.address.includes(':')) out.add(c.address)
  return [...out].slice(0, 8)
}
