// `peerlens nat`: what kind of NAT is this host behind? (RFC 5780 behaviours + the RFC 3489 label)
import { parseArgs } from 'node:util'
import { discoverNat, NatInputError } from '../../core/nat/discover'
import { formatNatResult, formatProgress } from '../../core/nat/format'
import { DEFAULT_NAT_SERVERS } from '../../core/nat/defaultServers'
import { serverSpec } from '../../core/nat/resolve'
import type { NatFamily } from '../../shared/nat'
import { natHelp } from '../usage'
import { discoverPortMapping } from '../../core/portmap/discover'
import { isIPv4 } from 'node:net'
import { judgeDoubleNat, traceHops } from '../../core/nat/doubleNat'

export interface CommandIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

export const NAT_USAGE = natHelp

export async function natCommand(argv: string[], io: CommandIo): Promise<number> {
  let values: { stun?: string; stun2?: string; family?: string; json?: boolean; timeout?: string; lifetime?: boolean; 'lifetime-max'?: string; 'no-port-mapping'?: boolean; 'no-double-nat'?: boolean; gateway?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stun: { type: 'string' },
        stun2: { type: 'string' },
        family: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        lifetime: { type: 'boolean' },
        'lifetime-max': { type: 'string' },
        'no-port-mapping': { type: 'boolean' },
        'no-double-nat': { type: 'boolean' },
        gateway: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    io.stderr(`peerlens nat: ${oneLine(err)}\n`)
    return 2
  }
  if (values.help) {
    io.stdout(NAT_USAGE)
    return 0
  }
  let family: NatFamily = 4
  if (values.family !== undefined) {
    if (values.family !== '4' && values.family !== '6') {
      io.stderr(`peerlens nat: --family must be 4 or 6, got ${JSON.stringify(values.family)}\n`)
      return 2
    }
    family = Number(values.family) as NatFamily
  }
  let timeoutMs: number | undefined
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout)
    if (!/^\d+$/.test(values.timeout) || timeoutMs < 1 || timeoutMs > 60_000) {
      io.stderr(`peerlens nat: --timeout must be a number of milliseconds between 1 and 60000, got ${JSON.stringify(values.timeout)}\n`)
      return 2
    }
  }
  let lifetime: { maxS: number } | undefined
  if (values['lifetime-max'] !== undefined || values.lifetime) {
    const maxS = values['lifetime-max'] === undefined ? 120 : Number(values['lifetime-max'])
    if (!/^\d+$/.test(values['lifetime-max'] ?? '120') || maxS < 1 || maxS > 3600) {
      io.stderr(`peerlens nat: --lifetime-max must be a number of seconds between 1 and 3600, got ${JSON.stringify(values['lifetime-max'])}\n`)
      return 2
    }
    lifetime = { maxS }
    if (values.json !== true) io.stderr(`peerlens nat: measuring the mapping lifetime too: this takes ${maxS} s\n`)
  }
  if (values.gateway !== undefined && !isIPv4(values.gateway)) {
    io.stderr(`peerlens nat: --gateway must be an IPv4 address, got ${JSON.stringify(values.gateway)}\n`)
    return 2
  }
  try {
    if (values.stun !== undefined) serverSpec(values.stun)
    if (values.stun2 !== undefined) serverSpec(values.stun2)
  } catch (err) {
    io.stderr(`peerlens nat: ${oneLine(err)}\n`)
    return 2
  }
  const stun = values.stun ?? [...DEFAULT_NAT_SERVERS]
  if (values.stun === undefined) {
    io.stderr(`peerlens nat: no --stun given, asking public RFC 5780 servers: ${DEFAULT_NAT_SERVERS.map((s) => s.replace(/^stun:/, '')).join(', ')}\n`)
  }
  const json = values.json === true
  const portMapping = values['no-port-mapping'] || family !== 4 ? undefined : discoverPortMapping({ gateway: values.gateway })
  try {
    const result = await discoverNat({
      stun,
      stun2: values.stun2,
      family,
      timeoutMs,
      lifetime,
      onProgress: json
        ? undefined
        : (p) => {
            const line = formatProgress(p)
            if (line) io.stdout(line + '\n')
          }
    })
    if (portMapping) result.portMapping = (await portMapping).result
    if (!values['no-double-nat'] && family === 4 && result.server && result.mapped) {
      const trace = await traceHops(result.server.address)
      result.doubleNat = judgeDoubleNat({ mapped: result.mapped.address, portMapping: result.portMapping, hops: trace.hops, hopsError: trace.error })
    }
    io.stdout(json ? JSON.stringify(result, null, 2) + '\n' : formatNatResult(result))
    const answered = result.serverReach === 'udp' || result.serverReach === 'tcp-only'
    if (!answered) io.stderr(`peerlens nat: no server answered: ${result.reason}\n`)
    return answered ? 0 : 3
  } catch (err) {
    if (err instanceof NatInputError) {
      io.stderr(`peerlens nat: ${oneLine(err)}\n`)
      return 2
    }
    io.stderr(`peerlens nat: failed: ${oneLine(err)}\n`)
    return 1
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!
}
