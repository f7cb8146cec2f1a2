// The diagnostic report ("peerlens.report/v1"): what one laptop exports, holding both sides.
// The shape is defined once, in src/shared/reportSchema/ (a JSON Schema built in TypeScript): the
// types below are inferred from it and src/shared/report.schema.json is generated from it
// (npm run schema). docs/report.md is the prose. Within v1, fields are only ever added (and
// optional): a reader ignores fields it does not know.
import type { Static } from './schema/builder'
import type * as Common from './reportSchema/common'
import type * as Doc from './reportSchema/document'
import type * as Measure from './reportSchema/measure'
import type * as Sides from './reportSchema/sides'
import type * as System from './reportSchema/system'

export const REPORT_SCHEMA = 'peerlens.report/v1'
export const REPORT_MAJOR = 1

/** One side's half of a report, as that side saw it. */
export type SideReport = Static<typeof Sides.SideReport>
/** A side whose half never reached the side that wrote the report. */
export type MissingSide = Static<typeof Sides.MissingSide>
export type Side = Static<typeof Sides.Side>
export type TimelineEntry = Static<typeof Sides.TimelineEntry>

/** One STUN or TURN server as a side probed it. Credentials never appear in `url`. */
export type ServerProbe = Static<typeof Measure.ServerProbe>
/** One ICE attempt of the session (e.g. "all" beside a relay-only second attempt). */
export type ConnectionAttempt = Static<typeof Measure.ConnectionAttempt>
export type PredictedVerdict = Static<ReturnType<typeof Common.predictedVerdict>>
/** What the two NAT behaviours allowed, said before connecting. */
export type Prediction = Static<typeof Doc.Prediction>
export type RttStats = Static<typeof Measure.RttStats>
/** Measurements on one path once connected. */
export type PathMeasurement = Static<typeof Measure.PathMeasurement>
export type PathMeasurements = Static<typeof Measure.PathMeasurements>
/** UDP sent at the same moment from both sides to a named port, outside WebRTC. */
export type UdpPortTest = Static<typeof Measure.UdpPortTest>
export type PortDirection = Static<typeof Measure.PortDirection>
export type PathMtu = Static<typeof Measure.PathMtu>
/** The highest paced UDP rate under 1 % loss, each way, and the steps that found it. */
export type UdpRate = Static<typeof Measure.UdpRate>
export type UdpRateDirection = Static<typeof Measure.UdpRateDirection>
export type UdpRateStep = Static<typeof Measure.UdpRateStep>
export type OneWayJitter = Static<typeof Measure.OneWayJitter>

/** Which STUN servers a side used and contacted. */
export type SessionStun = Static<typeof Sides.SessionStun>
/** What a side left out of ICE, and the interface its signaling used. */
export type SessionNetwork = Static<typeof Sides.SessionNetwork>

/** What the machine says about its network, collected by src/core/sysinfo. */
export type SystemFacts = Static<typeof System.SystemFacts>
export type SystemInterface = Static<typeof System.SystemInterface>
export type RouteFact = Static<typeof System.RouteFact>
export type Gateway = Static<typeof System.Gateway>
export type VpnFact = Static<typeof System.VpnFact>

export type Report = Static<typeof Doc.Report>
