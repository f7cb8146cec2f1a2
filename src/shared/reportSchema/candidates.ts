// ICE candidates and candidate pairs, as both sides record them.
import { array, boolean, def, describe, enumOf, integer, object, optional, string } from '../schema/builder'
import { address, count, Endpoint, port, rttMs, sessionMs } from './common'

export const CandidateType = def('candidateType', enumOf(['host', 'srflx', 'prflx', 'relay']))

export const Protocol = def('protocol', enumOf(['udp', 'tcp']))

export const PairState = def('pairState', enumOf(['frozen', 'waiting', 'in-progress', 'succeeded', 'failed']))

/** What names a candidate inside a pair. */
export const CandidateRef = def('candidateRef', object({ type: CandidateType, protocol: Protocol, address: address(), port: port() }))

export const Candidate = def(
  'candidate',
  object({
    type: CandidateType,
    protocol: Protocol,
    address: address(),
    port: port(),
    priority: integer({ minimum: 0, maximum: 4_294_967_295 }),
    foundation: string(),
    component: integer({ minimum: 0, maximum: 256 }),
    relatedAddress: optional(Endpoint),
    tcpType: optional(string()),
    server: optional(string({ description: 'The STUN or TURN server that produced a srflx or relay candidate.' })),
    interface: optional(string({ description: 'Local candidates: the interface holding the address (or the base address, for srflx).' })),
    vpnLike: optional(boolean({ description: 'The interface name looks like a VPN tunnel (wg*, wt*, tailscale*...): this candidate hides the real path.' })),
    refused: optional(string({ description: "Remote candidates: why this side's WebRTC stack did not take it (never paired), e.g. an mDNS name that did not resolve in time." })),
    resolved: optional(address('Remote candidates with an mDNS (.local) name: the address the name resolved to.')),
    attempt: optional(count('Which connection attempt gathered or received it (1: all candidates, 2: relay only).')),
    atMs: sessionMs('Milliseconds since the session started.')
  })
)

export const SelectedPair = def('selectedPair', object({ local: CandidateRef, remote: CandidateRef }))

export const Pair = def(
  'pair',
  object({
    id: string(),
    local: CandidateRef,
    remote: CandidateRef,
    state: PairState,
    nominated: boolean(),
    rttMs: optional(rttMs()),
    requestsSent: count(),
    responsesReceived: count(),
    history: describe(
      'Every state the pair went through, with the time it was first seen in it.',
      array(object({ state: PairState, atMs: sessionMs() }))
    ),
    attempt: optional(count()),
    unchecked: optional(
      describe(
        'Set when ICE never sent a check on this pair: another pair won first, or the attempt ended before it got there. The state (often "failed") is then the stack\'s bookkeeping, not a check that failed.',
        enumOf(['another-pair-won', 'attempt-ended'])
      )
    )
  })
)
