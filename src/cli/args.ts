import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './errors'
import { IceUrlError, normalizeIceUrl, type IceOptions } from '../core/peer/iceConfig'
import { MAX_PORT, MAX_PORT_TESTS } from '../shared/limits'

type Options = NonNullable<ParseArgsConfig['options']>
type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>>

/** parseArgs that turns every complaint into a UsageError (exit 2) in plain words. */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false): ParsedArgs<O> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals, strict: true }) as ParsedArgs<O>
  } catch (err) {
    throw new UsageError(parserMessage(err as Error & { code?: string }))
  }
}

/** `--timeout -5` is a value, not an option: parseArgs calls it ambiguous, so it becomes `--timeout=-5`. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') return [...out, ...argv.slice(i)]
    const next = argv[i + 1]
    if (arg.startsWith('--') && options[arg.slice(2)]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else out.push(arg)
  }
  return out
}

/** Node's parser messages (several lines, with quoting advice) as one plain line. */
function parserMessage(err: Error & { code?: string }): string {
  const option = /Option '(-[^' ]+)/.exec(err.message)?.[1] ?? /option '(-[^']+)'/i.exec(err.message)?.[1]
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''} (--help lists the options)`.replace('  ', ' ')
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(/argument '([^']*)'/.exec(err.message)?.[1] ?? '')} (--help lists the options)`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && /does not take an argument/.test(err.message)) return `${option} takes no value`
      if (option) return `${option} needs a value`
  }
  return err.message.split('\n')[0]!
}

export const iceOptionSpec = {
  stun: { type: 'string', multiple: true },
  turn: { type: 'string', multiple: true },
  'turn-user': { type: 'string' },
  'turn-pass': { type: 'string' },
  'turn-pass-file': { type: 'string' },
  relay: { type: 'boolean' }
} as const satisfies Options

/** Options of a session beyond ICE: NAT discovery and what to leave out of the candidates. */
export const sessionOptionSpec = {
  'no-nat': { type: 'boolean' },
  'exclude-interface': { type: 'string', multiple: true },
  'exclude-address': { type: 'string', multiple: true },
  'port-test': { type: 'string', multiple: true },
  'throughput-mb': { type: 'string' },
  'measure-seconds': { type: 'string' },
  'port-mapping': { type: 'boolean' },
  'include-vpn': { type: 'boolean' },
  offline: { type: 'boolean' }
} as const satisfies Options

export function sessionFromArgs(values: { 'no-nat'?: boolean; 'exclude-interface'?: string[]; 'exclude-address'?: string[]; 'port-test'?: string[]; 'throughput-mb'?: string; 'measure-seconds'?: string; 'port-mapping'?: boolean; 'include-vpn'?: boolean; offline?: boolean }): {
  nat: boolean
  includeVpn: boolean
  offline: boolean
  exclude: { interfaces: string[]; addresses: string[] }
  portTests: number[]
  throughputBytes?: number
  measureSeconds?: number
  portMapping?: boolean
} {
  let throughputBytes: number | undefined
  if (values['throughput-mb'] !== undefined) {
    const mb = values['throughput-mb'] === 'off' ? 0 : Number(values['throughput-mb'])
    if (!Number.isFinite(mb) || mb < 0 || mb > 1024) throw new UsageError(`--throughput-mb wants megabytes from 0 (off) to 1024, got ${JSON.stringify(values['throughput-mb'])}`)
    throughputBytes = Math.round(mb * 1024 * 1024)
  }
  let measureSeconds: number | undefined
  if (values['measure-seconds'] !== undefined) {
    measureSeconds = Number(values['measure-seconds'])
    if (!Number.isFinite(measureSeconds) || measureSeconds < 1 || measureSeconds > 120) throw new UsageError(`--measure-seconds wants seconds from 1 to 120, got ${JSON.stringify(values['measure-seconds'])}`)
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
    ...(throughputBytes !== undefined ? { throughputBytes } : {}),
    ...(measureSeconds !== undefined ? { measureSeconds } : {}),
    ...(values['port-mapping'] ? { portMapping: true } : {})
  }
}

export interface IceArgs {
  stun?: string[]
  turn?: string[]
  'turn-user'?: string
  'turn-pass'?: string
  'turn-pass-file'?: string
  relay?: boolean
}

/**
 * ICE options from the command line. The TURN password comes from --turn-pass-file, PEERLENS_TURN_PASS
 * or --turn-pass; the last one shows in the process list, so `warn` says so.
 */
export function iceFromArgs(values: IceArgs, env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = () => {}): IceOptions {
  try {
    const ice: IceOptions = {
      stun: (values.stun ?? []).map((u) => normalizeIceUrl('stun', u)),
      turn: (values.turn ?? []).map((u) => normalizeIceUrl('turn', u))
    }
    const user = values['turn-user']
    const pass = turnPassword(values, env, warn)
    if (user !== undefined) ice.turnUser = user
    if (pass !== undefined) ice.turnPass = pass
    if (ice.turn.length && (user === undefined || pass === undefined)) {
      throw new UsageError('--turn needs --turn-user and a password (--turn-pass-file FILE or PEERLENS_TURN_PASS)')
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

function turnPassword(values: IceArgs, env: NodeJS.ProcessEnv, warn: (line: string) => void): string | undefined {
  const file = values['turn-pass-file']
  if (file !== undefined && values['turn-pass'] !== undefined) throw new UsageError('choose one of --turn-pass and --turn-pass-file')
  if (values['turn-pass'] !== undefined) {
    warn('warning: --turn-pass shows the password to every user of this machine (ps); use --turn-pass-file FILE or PEERLENS_TURN_PASS instead')
    return values['turn-pass']
  }
  if (file === undefined) return env.PEERLENS_TURN_PASS
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read --turn-pass-file ${file}: ${fileProblem(err)}`)
  }
  const pass = (text.split(/\r?\n/)[0] ?? '').trim()
  if (!pass) throw new UsageError(`--turn-pass-file ${file}: the first line is empty`)
  return pass
}

/** A file system error in words: "no such file", "permission denied", ... */
export function fileProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or folder'
    case 'EISDIR':
      return 'is a folder'
    case 'ENOTDIR':
      return 'a part of the path is not a folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'read-only file system'
    case 'ENOSPC':
      return 'no space left on the device'
    default:
      return (e.message ?? String(err)).split('\n')[0]!
  }
}

/** --signal and --public-url: an http or https URL with a host, nothing else (no ftp:, no javascript:). */
export function parseHttpUrl(text: string, name: string): string {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    // Said below.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UsageError(`${name} wants an http:// or https:// URL, got ${JSON.stringify(text.slice(0, 80))}`)
  }
  return text
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
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`${name} wants a number of seconds above 0 and no more than 86400, got ${JSON.stringify(text)}`)
  return n
}
