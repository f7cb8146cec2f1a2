import type { Endpoint } from '../session'

// The UDP port test's signaling messages ('port-test' from the host, 'port-result' from both),
// read defensively: they come from the other side.

import { MAX_PORT_TESTS } from '../limits'
export { MAX_PORT_TESTS }

/** The host's plan: which ports, when (host wall clock, ms), and a nonce that marks our packets. */
export interface PortPlan {
  ports: number[]
  /** Host wall clock, ms. */
  startAt: number
  nonce: string
}

/** One side's view of one port after the window: what it sent, what it got from the other side. */
export interface PortHalf {
  port: number
  /** The port was taken on this side (EADDRINUSE): something else owns it, e.g. a running WireGuard. */
  bound: boolean
  sent: number
  received: number
  /** Where this side sent (the other side's addresses at that port). */
  targets: Endpoint[]
  /** Where the packets that arrived came from. */
  from: Endpoint[]
}

export function validPort(p: unknown): p is number {
  return Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536
}

/** The ports a host's hello names, as the joiner follows them. */
export function readPortList(value: unknown): number[] {
  return Array.isArray(value) ? value.filter(validPort).slice(0, MAX_PORT_TESTS) : []
}

export function readPortPlan(data: Record<string, unknown> | null): PortPlan | undefined {
  if (!data || !Array.isArray(data.ports) || typeof data.startAt !== 'number' || typeof data.nonce !== 'string') return undefined
  const ports = readPortList(data.ports)
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
