// One side's half of the report, a side whose half never arrived, and the merged timeline.
import { array, def, describe, ifThenElse, literal, nullable, object, optional, string } from '../schema/builder'
import { Candidate, Pair, SelectedPair } from './candidates'
import { appInfo, clockOffsetMs, isoTime, Role, rttMs, sessionMs, unixMs, Verdict } from './common'
import { SessionEvent } from './events'
import { ServerProbe, PathMtu } from './measure'
import { NatResult } from './nat'
import { SystemFacts } from './system'

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
      system: optional(SystemFacts)
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
