// Session events: what each side saw happen, in order. The schema accepts any well-formed kind
// (kinds are added within v1); the type lists the kinds this version writes.
import { anyOf, array, def, enumOf, literal, loose, nullable, number, object, optional, string, type Schema } from '../schema/builder'
import { Candidate, Pair, SelectedPair } from './candidates'
import { clockOffsetMs, count, percent, predictedVerdict, Role, rttMs, sessionMs, Verdict } from './common'

export const SessionPhase = enumOf(['signaling', 'gathering', 'checking', 'connected', 'measuring', 'done', 'failed', 'closed'])

const at = () => sessionMs('Milliseconds since the session started.')
const pathName = () => enumOf(['direct', 'relay'])

/** Every event kind this version writes (the type of an event; not written to the JSON). */
export const KnownEvent = anyOf([
  object({ kind: literal('attempt'), atMs: at(), attempt: count(), policy: enumOf(['all', 'relay']), outcome: enumOf(['started', 'connected', 'failed', 'abandoned']), reason: optional(string()) }),
  object({ kind: literal('nat'), atMs: at(), side: Role, mapping: string(), filtering: string(), classic: string(), reason: string() }),
  object({ kind: literal('prediction'), atMs: at(), verdict: predictedVerdict(), reason: string() }),
  // The path chosen, as soon as it is: the measurements on it follow.
  object({ kind: literal('verdict'), atMs: at(), verdict: Verdict, reason: string(), attempt: count() }),
  object({ kind: literal('path-metrics'), atMs: at(), path: pathName(), rttP50Ms: nullable(rttMs()), lossPercent: percent(), jitterMs: nullable(rttMs()) }),
  object({ kind: literal('clock-offset'), atMs: at(), offsetMs: clockOffsetMs(), errorMs: rttMs() }),
  object({ kind: literal('throughput'), atMs: at(), attempt: count(), hostToJoinMBps: nullable(number({ minimum: 0, maximum: 1e9 })), joinToHostMBps: nullable(number({ minimum: 0, maximum: 1e9 })) }),
  object({ kind: literal('warning'), atMs: at(), message: string() }),
  object({ kind: literal('phase'), atMs: at(), phase: SessionPhase, detail: optional(string()) }),
  object({ kind: literal('ice-state'), atMs: at(), state: string() }),
  object({ kind: literal('gathering'), atMs: at(), state: string() }),
  object({ kind: literal('local-candidate'), atMs: at(), candidate: Candidate }),
  object({ kind: literal('remote-candidate'), atMs: at(), candidate: Candidate }),
  object({ kind: literal('pair'), atMs: at(), pair: Pair }),
  object({ kind: literal('selected-pair'), atMs: at(), pair: SelectedPair }),
  object({ kind: literal('channel-open'), atMs: at() }),
  object({ kind: literal('probe'), atMs: at(), rttMs: rttMs() }),
  object({ kind: literal('signal'), atMs: at(), direction: enumOf(['in', 'out']), type: string() }),
  object({ kind: literal('peer-hello'), atMs: at(), name: string(), version: string(), features: array(string()) }),
  object({ kind: literal('error'), atMs: at(), message: string() })
])

/**
 * Known kinds keep their fields' ranges, without requiring them (an older writer may leave a field
 * out): a `probe` event's rttMs is held to the RTT range like every other RTT in the report.
 */
const knownKindRanges = (KnownEvent.anyOf as Array<{ properties: { kind: { const: string } } & Record<string, unknown> }>).map((variant) => {
  const { kind, ...fields } = variant.properties
  return { if: { required: ['kind'], properties: { kind } }, then: { properties: fields } }
})

export const SessionEvent = def(
  'event',
  loose(KnownEvent, {
    ...object(
      { kind: string({ pattern: '^[a-z][a-z0-9-]*$' }), atMs: at() },
      {
        additionalProperties: true,
        description: 'A session event (src/shared/session.ts SessionEvent); kinds are added over time, so any kind is accepted.'
      }
    ),
    allOf: knownKindRanges
  } as Schema)
)
