// One side's half of the report, a side whose half never arrived, and the merged timeline.
import { array, boolean, def, describe, enumOf, ifThenElse, literal, nullable, object, optional, string } from '../schema/builder'
import { Candidate, Pair, SelectedPair } from './candidates'
import { appInfo, clockOffsetMs, isoTime, Role, rttMs, sessionMs, unixMs, Verdict } from './common'
import { SessionEvent } from './events'
import { ServerProbe, PathMtu } from './measure'
import { NatResult } from './nat'
import { SystemFacts } from './system'

/** Which STUN servers a side used, where they came from, and which third parties it contacted. */
export const SessionStun = object(
  {
    source: enumOf(['given', 'default', 'offline'], {
      description: "given: the user's --stun servers; default: the documented public list (docs/diagnosis.md); offline: the signaling server's own responder, no third party."
    }),
    servers: array(string(), { description: 'The STUN servers used for candidates (werift asks the first).' }),
    contacted: array(string(), { description: 'Every STUN server this side sent a packet to for the session and its NAT discovery (empty: no third party).' }),
    note: optional(string())
  },
  { description: 'Which STUN servers this side used and contacted.' }
)

/** What this side left out of ICE and how its signaling travelled. */
export const SessionNetwork = object(
  {
    includeVpn: boolean({ description: 'VPN-like interfaces were kept in ICE (--include-vpn). By default they are left out, so the session tests the underlay.' }),
    excludedInterfaces: array(string(), { description: 'Interfaces left out of ICE gathering and pairing: VPN-like ones by default, plus --exclude-interface.' }),
    signaling: optional(
      object(
        {
          server: string({ description: 'The signaling server (host, or "embedded" for the one this host ran).' }),
          interface: nullable(string({ description: 'The interface the route toward the server leaves by; null when unknown.' })),
          vpnLike: boolean()
        },
        { description: 'Which interface carried signaling: it may go through the tunnel while ICE tests the underlay.' }
      )
    ),
    stun: optional(SessionStun)
  },
  { description: "This side's network setup for the session." }
)

export const SideReport = def(
  'sideReport',
  object(
    {
      role: Role,
      missing: optional(literal(false)),
      name: string(),
      app: appInfo(),
      os: object({ platform: string(), release: string(), arch: string() }),
      userAgent: optional(string({ description: 'A browser joiner (the join page) says what it is here; its `os` holds what a page can know.' })),
      startedAt: isoTime(),
      verdict: Verdict,
      reason: string(),
      selectedPair: nullable(SelectedPair),
      rttMs: nullable(rttMs()),
      connectedAfterMs: nullable(sessionMs()),
      candidates: object({ local: array(Candidate), remote: array(Candidate) }),
      pairs: array(Pair),
      events: array(SessionEvent),
      clockOffsetMs: optional(
        clockOffsetMs(
          "This side's wall clock minus the writing side's clock, in ms, measured over the data channel (positive: this side's clock is ahead). Merging subtracts it. Absent: 0 (the writer's own side, or never measured)."
        )
      ),
      clockOffsetErrorMs: optional(rttMs('Half the round trip of the sample the offset came from: the offset is good to +/- this.')),
      nat: optional(nullable(NatResult, { description: 'NAT behaviour toward the STUN server over IPv4 (null: tried, no answer).' })),
      nat6: optional(nullable(NatResult, { description: 'The same over IPv6.' })),
      servers: optional(array(ServerProbe, { description: 'One probe per configured STUN/TURN server.' })),
      pathMtu: optional(PathMtu),
      system: optional(SystemFacts),
      network: optional(SessionNetwork)
    },
    { description: "One side's half of a report, as that side saw it." }
  )
)

export const MissingSide = def(
  'missingSide',
  object({ role: Role, missing: literal(true), why: string() }, { description: "A side whose half never reached the side that wrote the report." })
)

export const Side = def('side', ifThenElse({ required: ['missing'], properties: { missing: { const: true } } }, MissingSide, SideReport))

export const TimelineEntry = def(
  'timelineEntry',
  object({
    at: describe("Wall-clock time, ISO 8601 with milliseconds, on the writer's clock (offset applied).", isoTime()),
    unixMs: unixMs('The same instant in Unix milliseconds.'),
    role: Role,
    event: SessionEvent
  })
)
