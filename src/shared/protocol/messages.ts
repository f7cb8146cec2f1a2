import type { NatResult } from '../nat'
import { readHello, type PeerHello } from './hello'
import { readPeerNat } from './nat'
import { readPortHalf, readPortPlan, type PortHalf, type PortPlan } from './portTest'

// The signaling message types of protocol v1 and its extensions (docs/signaling.md). A peer ignores
// any type it does not know; the extensions are used only with peers that announce their feature.

/** Features announced in hello: extensions are used only with peers that announce them. */
export const FEATURE_NAT = 'nat'
export const FEATURE_RELAY_ATTEMPT = 'relay-attempt'
export const FEATURE_TURN = 'turn'
export const FEATURE_PORT_TEST = 'port-test'
export const FEATURE_THROUGHPUT = 'throughput'
/** Paced UDP probe trains on the selected pair, beside DTLS (src/shared/protocol/udpProbe.ts). */
export const FEATURE_UDP_PROBES = 'udp-probes'

/** The offer, answer and candidate message types of each ICE attempt (1: all candidates, 2: relay only). */
export const ATTEMPT_MESSAGES: Record<number, { offer: string; answer: string; candidate: string }> = {
  1: { offer: 'offer', answer: 'answer', candidate: 'candidate' },
  2: { offer: 'relay-offer', answer: 'relay-answer', candidate: 'relay-candidate' }
}

/** A signaling message as read from the other side. */
export type Signal =
  | { kind: 'hello'; hello: PeerHello }
  | { kind: 'nat'; nat: NatResult | null }
  | { kind: 'port-test'; plan: PortPlan | undefined }
  | { kind: 'port-result'; half: PortHalf | undefined }
  | { kind: 'bye'; reason?: string }
  | { kind: 'offer' | 'answer'; attempt: number; sdp: string }
  | { kind: 'candidate'; attempt: number; data: Record<string, unknown> | null }
  | { kind: 'unknown' }

/** Reads one message by its type; every field is checked, since it comes from the other side. */
export function readSignal(type: string, payload: unknown): Signal {
  const data = payload as Record<string, unknown> | null
  switch (type) {
    case 'hello':
      return { kind: 'hello', hello: readHello(data) }
    case 'nat':
      return { kind: 'nat', nat: readPeerNat(data?.nat) }
    case 'port-test':
      return { kind: 'port-test', plan: readPortPlan(data) }
    case 'port-result':
      return { kind: 'port-result', half: readPortHalf(data) }
    case 'bye':
      return data?.reason ? { kind: 'bye', reason: String(data.reason) } : { kind: 'bye' }
  }
  for (const [id, kinds] of Object.entries(ATTEMPT_MESSAGES)) {
    const attempt = Number(id)
    if (type === kinds.offer) return { kind: 'offer', attempt, sdp: String(data?.sdp ?? '') }
    if (type === kinds.answer) return { kind: 'answer', attempt, sdp: String(data?.sdp ?? '') }
    if (type === kinds.candidate) return { kind: 'candidate', attempt, data }
  }
  return { kind: 'unknown' }
}
