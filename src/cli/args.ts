import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './errors'
import { IceUrlError, normalizeIceUrl, type IceOptions } from '../core/peer/iceConfig'
import { MAX_PORT, MAX_PORT_TESTS } from '../shared/limits'

type Options = NonNullable<ParseArgsConfig['options']>
type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>>

/** parseArgs that turns every complaint into a UsageError (exit 2). */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false): ParsedArgs<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as ParsedArgs<O>
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!)
  }
}

export const iceOptionSpec = {
  stun: { type: 'string', multiple: true },
  turn: { type: 'string', multiple: true },
  'turn-user': { type: 'string' },
  'turn-pass': { type: 'string' },
  relay: { type: 'boolean' }
} as const satisfies Options

/** Options of a session beyond ICE: NAT discovery and what to leave out of the candidates. */
export const sessionOptionSpec = {
  'no-nat': { type: 'boolean' },
  'exclude-interface': { type: 'string', multiple: true },
  'exclude-address': { type: 'string', multiple: true },
  'port-test': { type: 'string', multiple: true },
  'throughput-mb': { type: 'string' },
  'include-vpn': { type: 'boolean' },
  offline: { type: 'boolean' }
} as const satisfies Options

export function sessionFromArgs(values: { 'no-nat'?: boolean; 'exclude-interface'?: string[]; 'exclude-address'?: string[]; 'port-test'?: string[]; 'throughput-mb'?: string; 'include-vpn'?: boolean; offline?: boolean }): {
  nat: boolean
  includeVpn: boolean
  offline: boolean
  exclude: { interfaces: string[]; addresses: string[] }
  portTests: number[]
  throughputBytes?: number
} {
  let throughputBytes: number | undefined
  if (values['throughput-mb'] !== undefined) {
    const mb = Number(values['throughput-mb'])
    if (!Number.isFinite(mb) || mb < 0 || mb > 1024) throw new UsageError(`--throughput-mb wants megabytes from 0 (off) to 1024, got ${JSON.stringify(values['throughput-mb'])}`)
    throughputBytes = Math.round(mb * 1024 * 1024)
  }
  const portTests = (values['port-test'] ?? []).map((p) => {
    const n = Number(p)
    if (!Number.isInteger(n) || n < 1 || n > MAX_PORT) throw new UsageError(`--port-test wants a UDP port from 1 to ${MAX_PORT}, got ${JSON.stringify(p)}`)
    return n
  })
  if (portTests.length > MAX_PORT_TESTS) throw new UsageError(`--port-test takes at most ${MAX_PORT_TESTS} ports`)
  return {
    nat: values['no-nat'] !== true,
    includeVpn: values['include-vpn'] === true,
    offline: values.offline === true,
    exclude: { interfaces: values['exclude-interface'] ?? [], addresses: values['exclude-address'] ?? [] },
    portTests,
    ...(throughputBytes !== undefined ? { throughputBytes } : {})
  }
}

export interface IceArgs {
  stun?: string[]
  turn?: string[]
  'turn-user'?: string
  'turn-pass'?: string
  relay?: boolean
}

/** ICE options from the command line; the TURN password may come from PEERLENS_TURN_PASS instead. */
export function iceFromArgs(values: IceArgs, env: NodeJS.ProcessEnv = process.env): IceOptions {
  try {
    const ice: IceOptions = {
      stun: (values.stun ?? []).map((u) => normalizeIceUrl('stun', u)),
      turn: (values.turn ?? []).map((u) => normalizeIceUrl('turn', u))
    }
    const user = values['turn-user']
    const pass = values['turn-pass'] ?? env.PEERLENS_TURN_PASS
    if (user !== undefined) ice.turnUser = user
    if (pass !== undefined) ice.turnPass = pass
    if (ice.turn.length && (user === undefined || pass === undefined)) {
      throw new UsageError('--turn needs --turn-user and a password (--turn-pass or PEERLENS_TURN_PASS)')
    }
    if (values.relay) {
      if (!ice.turn.length) throw new UsageError('--relay needs a --turn server')
      ice.transportPolicy = 'relay'
    }
    return ice
  } catch (err) {
    if (err instanceof IceUrlError) throw new UsageError(err.message)
    throw err
  }
}

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim())
  if (!m) throw new UsageError(`--listen wants HOST:PORT, got ${JSON.stringify(text)}`)
  const port = Number(m[3])
  if (port > MAX_PORT) throw new UsageError(`port out of range in ${JSON.stringify(text)}`)
  return { host: m[1] ?? m[2]!, port }
}

export function parseSeconds(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`${name} wants a number of seconds from 0 to 86400, got ${JSON.stringify(text)}`)
  return n
}
