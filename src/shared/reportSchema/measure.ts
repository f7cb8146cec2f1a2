// What the sides measured beyond ICE: STUN/TURN servers, attempts, the paths once connected, path
// MTU and UDP port tests.
import { array, boolean, def, describe, enumOf, integer, nullable, number, object, optional, string } from '../schema/builder'
import { SelectedPair } from './candidates'
import { bytes, count, Endpoint, mtu, percent, port, Role, rttMs, seconds, sessionMs, Verdict } from './common'

export const ServerProbe = def(
  'serverProbe',
  object(
    {
      url: string(),
      kind: enumOf(['stun', 'turn']),
      transport: enumOf(['udp', 'tcp', 'tls']),
      resolved: optional(nullable(Endpoint, { description: 'The address the name resolved to, when it resolved.' })),
      reachable: boolean(),
      rttMs: nullable(rttMs()),
      mapped: nullable(Endpoint, { description: 'Our address as the server saw it (XOR-MAPPED-ADDRESS).' }),
      relay: optional(nullable(Endpoint, { description: 'TURN: the relayed address of the allocation.' })),
      error: optional(
        nullable(object({ code: optional(integer({ minimum: 0, maximum: 999 })), reason: string() }), { description: 'Why it failed, decoded ("401 after credentials: wrong username or password").' })
      ),
      lifetimeS: optional(seconds('How long the allocation lives (TURN), seconds.'))
    },
    { description: 'One STUN or TURN server as a side probed it. Credentials never appear in `url`.' }
  )
)

export const PathMtu = def(
  'pathMtu',
  object(
    {
      toward: nullable(Endpoint),
      mtu: nullable(mtu(), { description: 'Largest IP packet that got through, bytes; null when it could not be measured.' }),
      method: string(),
      reason: optional(string()),
      capped: optional(boolean({ description: 'True when the largest size tried got through: the path carries `mtu` bytes or more (the search stops at an Ethernet MTU).' }))
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
      startedAtMs: sessionMs("Milliseconds since the writer's session start."),
      outcome: enumOf(['connected', 'failed', 'abandoned', 'running']),
      verdict: nullable(Verdict),
      selectedPair: nullable(SelectedPair),
      connectedAfterMs: nullable(sessionMs()),
      rttMs: nullable(rttMs()),
      used: boolean({ description: 'True for the attempt whose path the session went on to use.' }),
      reason: string()
    },
    { description: 'One ICE attempt of the session (e.g. "all" beside a relay-only second attempt).' }
  )
)

export const RttStats = def('rttStats', object({ minMs: rttMs(), p50Ms: rttMs(), p95Ms: rttMs(), maxMs: rttMs() }))

export const Throughput = object({
  hostToJoinBps: nullable(bytes('Payload bytes per second that arrived at the joiner in its window; null when the test failed.')),
  joinToHostBps: nullable(bytes()),
  bytes: bytes('The byte limit per direction (--throughput-mb): a window ends early when the sender reaches it.'),
  messageBytes: optional(bytes()),
  hostToJoinMs: optional(sessionMs('How long the host-to-joiner window lasted, on the receiver\'s clock (ms).')),
  joinToHostMs: optional(sessionMs()),
  hostToJoinBytes: optional(bytes('Payload bytes that arrived in the host-to-joiner window.')),
  joinToHostBytes: optional(bytes()),
  windowMs: optional(sessionMs('The window asked for per direction; the directions are measured one after the other, never at once.')),
  method: optional(string({ description: 'How it was measured (the data channel, receiver-timed windows).' })),
  off: optional(string({ description: 'Why throughput was not measured (turned off, or the other side does not answer the test).' }))
})

export const UdpRateStep = object({
  offeredBps: bytes('The rate the sender paced this step at, bytes of UDP payload per second.'),
  deliveredBps: bytes('Payload bytes per second that arrived, timed by the receiver from the first to the last arrival of the step.'),
  sent: count(),
  received: count(),
  lossPercent: percent(),
  ms: sessionMs('How long the sender sent this step.')
})

export const UdpRateDirection = object({
  maxRateBps: nullable(bytes('The highest offered rate whose step lost under 1 % of its packets; null when even the lowest step lost more.')),
  lossAtMaxPercent: optional(nullable(percent())),
  capacityBps: nullable(bytes('What arrived per second while the sender offered more than the path carried: the path\'s capacity for UDP payload.')),
  steps: array(UdpRateStep, { description: 'Every step in the order sent.' })
})

export const UdpRate = object(
  {
    hostToJoin: nullable(UdpRateDirection),
    joinToHost: nullable(UdpRateDirection),
    packetBytes: optional(bytes('UDP payload bytes per probe packet.')),
    method: string({ description: 'How it was measured (paced UDP steps on the selected pair, one direction after the other).' }),
    off: optional(string({ description: 'Why it was not measured.' }))
  },
  { description: 'The UDP view WireGuard sees: the highest paced UDP rate on the selected pair with under 1 % loss, each way.' }
)

export const OneWayJitter = object(
  {
    hostToJoinMs: nullable(rttMs()),
    joinToHostMs: nullable(rttMs()),
    method: string()
  },
  { description: 'RFC 3550 interarrival jitter of the probe train, each way (receiver clock differences only: no clock sync needed).' }
)

export const PathMeasurement = def(
  'pathMeasurement',
  object(
    {
      path: enumOf(['direct', 'relay']),
      pair: nullable(SelectedPair),
      probesSent: count(),
      probesReceived: count(),
      lossPercent: percent(),
      lossOneWay: optional(
        object(
          { hostToJoinPercent: percent(), joinToHostPercent: percent() },
          { description: "Loss each way of the UDP echo train: requests the responder never got, and its replies that never came back (from the responder's count)." }
        )
      ),
      rtt: nullable(RttStats),
      jitterMs: nullable(rttMs('Echo train: the larger one-way RFC 3550 jitter (see `jitter`); data-channel pings: the mean difference between consecutive round trips.')),
      rttSamplesMs: optional(array(nullable(rttMs()), { description: "Every probe's RTT in send order, null where it was lost (for the chart)." })),
      throughput: optional(nullable(Throughput, { description: 'Bytes per second each way; null when not measured.' })),
      dataChannel: optional(nullable(Throughput, { description: 'What the WebRTC data channel (werift SCTP) carried each way on this path, beside the path figure in `throughput`.' })),
      udp: optional(nullable(UdpRate)),
      jitter: optional(nullable(OneWayJitter)),
      probeMethod: optional(string({ description: 'How RTT, loss and jitter were measured (a UDP echo train on the selected pair, or pings on the data channel).' })),
      error: optional(string())
    },
    { description: 'Measurements on one path once connected.' }
  )
)

export const PathMeasurements = object({
  direct: optional(nullable(PathMeasurement)),
  relay: optional(nullable(PathMeasurement)),
  overhead: optional(
    nullable(object({ extraRttMs: nullable(number({ minimum: -1e6, maximum: 1e6 })), throughputRatio: nullable(number({ minimum: 0, maximum: 1e9 })) }), { description: 'Relay minus direct: what the relay costs.' })
  )
})

export const PortDirection = def('portDirection', object({ target: nullable(Endpoint), sent: count(), received: count() }))

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
