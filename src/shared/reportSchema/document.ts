// The whole report schema, peerlens.report/v1: the one definition src/shared/report.schema.json is
// generated from (npm run schema) and the report's TypeScript types are inferred from.
import { array, defs, enumOf, integer, literal, loose, nullable, object, optional, refine, string, toJsonText, tuple } from '../schema/builder'
import type { JsonObject } from '../schema/builder'
import { Candidate, CandidateRef, CandidateType, Pair, PairState, Protocol, SelectedPair } from './candidates'
import { appInfo, count, Endpoint, isoTime, predictedVerdict, Role, rttMs, sessionMs, Verdict } from './common'
import { SessionEvent } from './events'
import { ConnectionAttempt, PathMeasurement, PathMeasurements, PathMtu, PortDirection, RttStats, ServerProbe, UdpPortTest } from './measure'
import { DoubleNatResult, NatEndpoint, NatResult, NatTest, PortMappingResult } from './nat'
import { MissingSide, Side, SideReport, TimelineEntry } from './sides'
import { Gateway, RouteFact, SystemFacts, SystemInterface, VpnFact } from './system'

import { REPORT_SCHEMA } from '../report'

export const Prediction = object({ verdict: predictedVerdict(), reason: string() }, { description: 'What the two NAT behaviours allowed, said before connecting.' })

export const RemedyEntry = object(
  {
    rank: integer({ minimum: 1, maximum: 1000, description: '1 is the first thing to try.' }),
    // Readers accept remedy ids added later.
    id: loose(enumOf(['udp-blocked', 'symmetric-nat', 'no-hairpin', 'double-nat', 'vpn-interface', 'port-unreachable', 'port-held', 'path-mtu']), string()),
    level: enumOf(['bad', 'warn', 'info']),
    finding: string({ description: 'The finding the remedy answers.' }),
    action: string({ description: 'What to change, in one sentence; alternatives after "or".' }),
    evidence: string({ description: 'The measurement the remedy rests on.' })
  },
  { description: 'What to do next, for one finding (src/shared/diagnosis/remedies.ts).' }
)

const sideWithRole = (role: 'host' | 'join') => refine(Side, { properties: { role: literal(role) } })

export const Connection = object({
  verdict: Verdict,
  reason: string(),
  selectedPair: nullable(SelectedPair, { description: "As the writing side sees it: `local` is the writer's candidate." }),
  rttMs: nullable(rttMs()),
  connectedAfterMs: nullable(sessionMs()),
  verdictAfterMs: optional(sessionMs('When the writer knew the path it uses (its verdict event), on its own clock: the measurements come after.')),
  measuredAfterMs: optional(sessionMs("When the writer's measurements on its paths (pings, throughput) ended, on its own clock.")),
  attempts: optional(array(ConnectionAttempt))
})

export const Report = object({
  schema: literal(REPORT_SCHEMA),
  app: appInfo(),
  createdAt: isoTime(),
  writtenBy: Role,
  room: optional(string({ description: 'The signaling room (its id only: the secret never appears).' })),
  sides: tuple([sideWithRole('host'), sideWithRole('join')], { description: 'Always [host, join]; a side whose half never arrived says why.' }),
  connection: Connection,
  prediction: optional(Prediction),
  paths: optional(PathMeasurements),
  portTests: optional(array(UdpPortTest)),
  remedies: optional(array(RemedyEntry, { description: 'What to do next, ranked: derived from the rest of the report when it was written.' })),
  timeline: array(TimelineEntry, { description: "Every event of both sides on the writer's clock, in time order." }),
  redaction: optional(
    object({ publicAddresses: count(), note: string() }, { description: 'Present when the report was redacted for sharing.' })
  )
})

const DEFS = [
  Endpoint, Role, Verdict, CandidateType, Protocol, PairState, CandidateRef, Candidate, SelectedPair, Pair, SessionEvent,
  NatEndpoint, NatTest, NatResult, PortMappingResult, DoubleNatResult, ServerProbe, PathMtu, SystemInterface, RouteFact, Gateway, VpnFact, SystemFacts,
  SideReport, MissingSide, Side, ConnectionAttempt, RttStats, PathMeasurement, PortDirection, UdpPortTest, TimelineEntry
]

/** The JSON Schema document, as written to src/shared/report.schema.json. */
export function reportJsonSchema(): JsonObject {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://peerlens.dev/schema/peerlens.report/v1.json',
    title: 'peerlens diagnostic report, v1',
    description:
      'What one laptop exports after peerlens host/join: both sides, one merged timeline. Within v1 fields are only added, so readers accept properties they do not know. docs/report.md explains every section.',
    ...Report,
    $defs: defs(DEFS)
  }
}

/** The same, as the text of the committed file. */
export function reportJsonSchemaText(): string {
  return toJsonText(reportJsonSchema())
}
