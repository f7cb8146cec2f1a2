// NAT behaviour discovery (RFC 5780, with the RFC 3489 label beside it): `sides[].nat` and `.nat6`.
// docs/nat.md is the prose version.
import { added, array, boolean, def, describe, enumOf, integer, loose, nullable, object, optional, string } from '../schema/builder'
import { count, Endpoint, rttMs, seconds, sessionMs } from './common'

export const NatEndpoint = def('natEndpoint', Endpoint)

export const NatFamily = enumOf([4, 6])

/** RFC 5780 section 4.3. "none": the mapped address is one of our own addresses (no NAT). "unknown" always comes with a `reason`. */
export const NatMapping = enumOf(['none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'])

/** RFC 5780 section 4.4. */
export const NatFiltering = enumOf(['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'])

/** The RFC 3489 vocabulary most tools (and most users) still speak. */
export const NatClassic = enumOf(['open-internet', 'full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-udp-firewall', 'udp-blocked', 'unknown'])

/**
 * How the verdict was reached: RFC 5780 tests, mappings toward two servers compared, the server seeing
 * one of our own addresses (no NAT; "local-address", added in v1), or nothing usable ("none").
 */
export const NatMethod = enumOf(['rfc5780', 'two-servers', 'local-address', 'none'])

/** What the server's port told us when UDP stayed silent. */
export const NatServerReach = enumOf(['udp', 'tcp-only', 'tcp-refused', 'unreachable', 'not-tested'])

export const NatTestName = enumOf(['mapping-1', 'mapping-2', 'mapping-3', 'mapping-server2', 'filtering-1', 'filtering-2', 'filtering-3', 'hairpin', 'tcp-connect'])

export const NatTest = def(
  'natTest',
  object({
    // Readers accept test names added later.
    name: loose(NatTestName, string()),
    target: describe('Where the request went (for filtering-2 and -3: the primary address, with CHANGE-REQUEST).', Endpoint),
    change: optional(object({ ip: boolean(), port: boolean() }, { description: 'Set for filtering-2 (change IP and port) and filtering-3 (change port).' })),
    result: enumOf(['reply', 'timeout', 'error', 'skipped']),
    mapped: nullable(Endpoint, { description: 'XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) of the reply.' }),
    from: nullable(Endpoint, { description: 'Where the reply actually came from.' }),
    ms: sessionMs('Time to the reply, or how long we waited before giving up.'),
    attempts: count('Requests sent (1 + retransmissions).'),
    errorCode: optional(integer({ minimum: 0, maximum: 999, description: 'STUN error response code, when the reply was an error (e.g. 420 for a refused CHANGE-REQUEST).' })),
    otherAddress: optional(describe('OTHER-ADDRESS (or CHANGED-ADDRESS) in the reply.', Endpoint)),
    detail: optional(string({ description: 'Why the test errored or was skipped, an error response, or packets ignored while it ran.' }))
  })
)

export const NatLifetime = object({
  aliveS: nullable(seconds(), { description: 'The longest idle time after which the mapping still took a packet from the server, seconds.' }),
  expiredS: nullable(seconds(), { description: 'The shortest idle time after which it no longer did, seconds; null when it never expired.' }),
  probes: array(object({ afterS: seconds(), alive: nullable(boolean()) }), {
    description: 'One probe per idle time: a fresh mapping left idle, then asked for (null: could not be tested).'
  }),
  reason: string()
})

const protocolFound = {
  available: boolean({ description: 'Whether the gateway answered this protocol with a usable answer.' }),
  reason: string({ description: 'What was found, or why not (no answer, a refusal, garbage), in one line.' }),
  externalAddress: nullable(string(), { description: 'The external IPv4 address the gateway reported, when it did.' }),
  ms: sessionMs('How long the probe took.')
}

export const PortMappingResult = def(
  'portMapping',
  object({
    gateway: nullable(string(), { description: 'The default gateway asked (IPv4), or null when there is none.' }),
    upnp: object({
      ...protocolFound,
      location: optional(string({ description: 'The device description URL from the SSDP answer.' })),
      serviceType: optional(string({ description: 'WANIPConnection or WANPPPConnection service used.' })),
      server: optional(string({ description: "The SSDP answer's SERVER header (the router's software)." }))
    }),
    natPmp: object({ ...protocolFound }),
    pcp: object({ ...protocolFound, version: optional(integer({ minimum: 0, maximum: 255 })) }),
    externalAddress: nullable(string(), { description: 'The external address the protocols agree on (UPnP, then NAT-PMP, then PCP), or null.' }),
    session: optional(
      object(
        {
          protocol: nullable(enumOf(['upnp', 'nat-pmp', 'pcp']), { description: 'The protocol that mapped the ICE socket, or null when none did.' }),
          internal: nullable(Endpoint, { description: "The ICE socket's address and port that was mapped." }),
          external: nullable(Endpoint, { description: 'The mapped address offered to the other side as a candidate.' }),
          used: nullable(boolean({ description: 'Whether the path in use ran through the mapping; null when nothing connected.' })),
          removed: nullable(boolean({ description: 'Whether the mapping was deleted at the end; null when there was none.' })),
          reason: string({ description: 'What happened, in one line: "mapped by NAT-PMP ...", or why no mapping was made.' })
        },
        { description: 'With --port-mapping: the UDP mapping of the ICE socket asked for during the session.' }
      )
    )
  })
)

/** More than one NAT between us and the internet (a home router behind a carrier-grade NAT). */
export const DoubleNatResult = def(
  'doubleNat',
  object({
    detected: nullable(boolean(), { description: 'true: two (or more) NATs; false: the evidence says one; null: could not tell.' }),
    carrierGrade: boolean({ description: 'Whether an address on the way is in 100.64.0.0/10 (RFC 6598 shared address space, carrier-grade NAT).' }),
    reason: string({ description: 'One sentence: "double NAT (carrier-grade NAT at hop 2, 100.64.0.1)" and how we know.' }),
    evidence: array(string(), { description: 'Each signal, in words (port-mapping external address vs STUN, private hops on the way).' }),
    hops: array(object({ hop: integer({ minimum: 1, maximum: 64 }), address: string() }), { description: 'The first hops toward the STUN server (tracepath), when measured.' })
  })
)

export const NatResult = def(
  'nat',
  object({
    family: NatFamily,
    mapping: NatMapping,
    filtering: NatFiltering,
    classic: NatClassic,
    reason: string({ description: 'One sentence saying why, in plain words.' }),
    method: NatMethod,
    local: nullable(Endpoint, { description: "The address our traffic leaves from (the route's source address) and the mapping test socket's port." }),
    mapped: nullable(Endpoint, { description: 'The server-reflexive address of the mapping test socket (test I).' }),
    server: nullable(Endpoint, { description: 'The STUN server used, as resolved.' }),
    otherAddress: added(nullable(Endpoint, { description: "The server's OTHER-ADDRESS (RFC 5780), when it has one." })),
    portPreserved: added(nullable(boolean(), { description: 'Whether the NAT kept our local port for the mapping; null without a mapping.' })),
    hairpin: added(nullable(boolean(), { description: 'Whether a packet to our own mapped address came back to us; null when not tested.' })),
    serverReach: added(NatServerReach),
    durationMs: added(sessionMs('Whole discovery, milliseconds.')),
    rttMs: added(nullable(rttMs(), { description: 'Smoothed round-trip time to the server, when any reply came.' })),
    tests: array(NatTest),
    via: optional(
      object(
        { interface: string(), vpnLike: boolean() },
        { description: 'The interface the route toward the STUN server leaves by. VPN-like (an exit node routing everything into the tunnel): the result describes the tunnel exit, not this side\'s NAT.' }
      )
    ),
    lifetime: optional(
      nullable(NatLifetime, { description: 'Mapping lifetime (RFC 5780 section 4.6), only when asked for: it takes as long as the longest wait.' })
    ),
    ignored: added(
      array(object({ from: Endpoint, reason: string() }), { description: 'Packets that arrived and were not used (hostile, malformed, stray), with why.' })
    ),
    portMapping: optional(describe('UPnP IGD, NAT-PMP and PCP on the default gateway, when probed.', PortMappingResult)),
    doubleNat: optional(describe('Whether there is more than one NAT on the way, when looked for.', DoubleNatResult))
  })
)

