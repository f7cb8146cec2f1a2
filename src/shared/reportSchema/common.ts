// The small shared pieces of the report schema: addresses, roles, verdicts, ISO times.
import { def, enumOf, integer, object, string } from '../schema/builder'

/** ISO 8601 date and time with a zone, as Date#toISOString writes it. */
export const isoTime = () => string({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$' })

export const port = () => integer({ minimum: 0, maximum: 65535 })

export const Endpoint = def('endpoint', object({ address: string(), port: port() }, { description: 'An IP address (v4 or v6) and a port.' }))

export const Role = def('role', enumOf(['host', 'join'], { description: 'Which side: the one that opened the room (host) or the one that joined it.' }))

export const Verdict = def(
  'verdict',
  enumOf(['direct', 'relayed', 'failed'], { description: 'How the two sides connected: directly, through a TURN relay, or not at all.' })
)

/** The name and version of the peerlens that wrote something. */
export const appInfo = () => object({ name: string(), version: string() })

/** A verdict said before connecting, from the two NAT behaviours; "unknown" when they do not tell. */
export const predictedVerdict = () => enumOf(['direct', 'relayed', 'failed', 'unknown'])
