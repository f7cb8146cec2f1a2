// Session events: what each side saw happen, in order. The schema accepts any well-formed kind
// (kinds are added within v1); the type lists the kinds this version writes.
import { anyOf, array, def, enumOf, integer, literal, loose, nullable, number, object, optional, string } from '../schema/builder'
import { Candidate, Pair, SelectedPair } from './candidates'
import { predictedVerdict, Role } from './common'

export const SessionPhase = enumOf(['signaling', 'gathering', 'checking', 'connected', 'measuring', 'done', 'failed', 'closed'])

const at = () => number({ description: 'Milliseconds since the session started.' })
const pathName = () => enumOf(['direct', 'relay'])

/** Every event kind this version writes (the type of an event; not written to the JSON). */
export const KnownEvent = anyOf([
  object({ kind: literal('attempt'), atMs: at(), attempt: integer(), policy: enumOf(['all', 'relay']), outcome: enumOf(['started', 'connected', 'failed', 'abandoned']), reason: optional(string()) }),
  object({ kind: literal('nat'), atMs: at(), side: Role, mapping: string(), filtering: string(), classic: string(), reason: string() }),
  object({ kind: literal('prediction'), atMs: at(), verdict: predictedVerdict(), reason: string() }),
  object({ kind: literal('path-metrics'), atMs: at(), path: pathName(), rttP50Ms: nullable(number()), lossPercent: number(), jitterMs: nullable(number()) }),
  object({ kind: literal('clock-offset'), atMs: at(), offsetMs: number(), errorMs: number() }),
  object({ kind: literal('throughput'), atMs: at(), attempt: integer(), hostToJoinMBps: nullable(number()), joinToHostMBps: nullable(number()) }),
  object({ kind: literal('warning'), atMs: at(), message: string() }),
  object({ kind: literal('phase'), atMs: at(), phase: SessionPhase, detail: optional(string()) }),
  object({ kind: literal('ice-state'), atMs: at(), state: string() }),
  object({ kind: literal('gathering'), atMs: at(), state: string() }),
  object({ kind: literal('local-candidate'), atMs: at(), candidate: Candidate }),
  object({ kind: literal('remote-candidate'), atMs: at(), candidate: Candidate }),
  object({ kind: literal('pair'), atMs: at(), pair: Pair }),
  object({ kind: literal('selected-pair'), atMs: at(), pair: SelectedPair }),
  object({ kind: literal('channel-open'), atMs: at() }),
  object({ kind: literal('probe'), atMs: at(), rttMs: number() }),
  object({ kind: literal('signal'), atMs: at(), direction: enumOf(['in', 'out']), type: string() }),
  object({ kind: literal('peer-hello'), atMs: at(), name: string(), version: string(), features: array(string()) }),
  object({ kind: literal('error'), atMs: at(), message: string() })
])

export const SessionEvent = def(
  'event',
  loose(
    KnownEvent,
    object(
      { kind: string({ pattern: '^[a-z][a-z0-9-]*$' }), atMs: number() },
      {
        additionalProperties: true,
        description: 'A session event (src/shared/session.ts SessionEvent); kinds are added over time, so any kind is accepted.'
      }
    )
  )
)
