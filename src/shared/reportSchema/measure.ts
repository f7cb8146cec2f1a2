// What the sides measured beyond ICE: STUN/TURN servers, attempts, the paths once connected, path
// MTU and UDP port tests.
import { array, boolean, def, describe, enumOf, integer, nullable, number, object, optional, string } from '../schema/builder'
import { SelectedPair } from './candidates'
import { Endpoint, port, Role, Verdict } from './common'

export const ServerProbe = def(
  'serverProbe',
  object(
    {
      url: string(),
      kind: enumOf(['stun', 'turn']),
      transport: enumOf(['udp', 'tcp', 'tls']),
      resolved: optional(nullable(Endpoint, { description: 'The address the name resolved to, when it resolved.' })),
      reachable: boolean(),
      rttMs: nullable(number()),
      mapped: nullable(Endpoint, { description: 'Our address as the server saw it (XOR-MAPPED-ADDRESS).' }),
      relay: optional(nullable(Endpoint, { description: 'TURN: the relayed address of the allocation.' })),
      error: optional(
        nullable(object({ code: optional(integer()), reason: string() }), { description: 'Why it failed, decoded ("401 after credentials: wrong username or password").' })
      ),
      lifetimeS: optional(number({ description: 'How long the allocation lives (TURN), seconds.' }))
    },
    { description: 'One STUN or TURN server as a side probed it. Credentials never appear in `url`.' }
  )
)

export const PathMtu = def(
  'pathMtu',
  object(
    {
      toward: nullable(Endpoint),
      mtu: nullable(integer(), { description: 'Largest IP packet that got through, bytes; null when it could not be measured.' }),
      method: string(),
      reason: optional(string())
    },
    { description: 'Path MTU toward the other side, where the platform allows probing it.' }
  )
)

export const ConnectionAttempt = def(
  'attempt',
  object(
    {
      id: string(),
      policy: enumOf(['all', 'relay']),
      startedAtMs: number({ description: "Milliseconds since the writer's session start." }),
      outcome: enumOf(['connected', 'failed', 'abandoned', 'running']),
      verdict: nullable(Verdict),
      selectedPair: nullable(SelectedPair),
      connectedAfterMs: nullable(number()),
      rttMs: nullable(number()),
      used: boolean({ description: 'True for the attempt whose path the session went on to use.' }),
      reason: string()
    },
    { description: 'One ICE attempt of the session (e.g. "all" beside a relay-only second attempt).' }
  )
)

export const RttStats = def('rttStats', object({ minMs: number(), p50Ms: number(), p95Ms: number(), maxMs: number() }))

export const Throughput = object({
  hostToJoinBps: nullable(number()),
  joinToHostBps: nullable(number()),
  bytes: number(),
  messageBytes: optional(number())
})

export const PathMeasurement = def(
  'pathMeasurement',
  object(
    {
      path: enumOf(['direct', 'relay']),
      pair: nullable(SelectedPair),
      probesSent: integer(),
      probesReceived: integer(),
      lossPercent: number(),
      rtt: nullable(RttStats),
      jitterMs: nullable(number()),
      rttSamplesMs: optional(array(nullable(number()), { description: "Every probe's RTT in send order, null where it was lost (for the chart)." })),
      throughput: optional(nullable(Throughput, { description: 'Bytes per second each way; null when not measured.' })),
      error: optional(string())
    },
    { description: 'Measurements on one path once connected.' }
  )
)

export const PathMeasurements = object({
  direct: optional(nullable(PathMeasurement)),
  relay: optional(nullable(PathMeasurement)),
  overhead: optional(
    nullable(object({ extraRttMs: nullable(number()), throughputRatio: nullable(number()) }), { description: 'Relay minus direct: what the relay costs.' })
  )
})

export const PortDirection = def('portDirection', object({ target: nullable(Endpoint), sent: integer(), received: integer() }))

export const UdpPortTest = def(
  'portTest',
  object(
    {
      port: port(),
      reachable: describe('Packets arrived in both directions.', boolean()),
      hostToJoin: PortDirection,
      joinToHost: PortDirection,
      boundOn: array(Role, { description: 'The port was already bound by something else on that side (a running WireGuard owns 51820).' }),
      reason: string()
    },
    { description: 'UDP sent at the same moment from both sides to a named port, outside WebRTC.' }
  )
)
