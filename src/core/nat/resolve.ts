import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { NatEndpoint, NatFamily } from '../../shared/nat'
import { canonicalIp, familyOf } from '../stun/address'
import { parseStunServer } from '../stun/url'

export class NatInputError extends Error {
  override name = 'NatInputError'
}

export type ServerInput = NatEndpoint | string

/** Parses (throws NatInputError on bad input) without touching the network. */
export function serverSpec(input: ServerInput): { host: string; port: number } {
  if (typeof input !== 'string') {
    if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) throw new NatInputError(`bad port ${input.port}`)
    return { host: input.address, port: input.port }
  }
  try {
    return parseStunServer(input)
  } catch (err) {
    throw new NatInputError(err instanceof Error ? err.message : String(err))
  }
}

export type Resolved = { ok: true; host: string; endpoint: NatEndpoint } | { ok: false; host: string; reason: string }

/** Resolves to one address of the wanted family. An IP literal of the other family is bad input. */
export async function resolveServer(input: ServerInput, family: NatFamily): Promise<Resolved> {
  const { host, port } = serverSpec(input)
  if (isIP(host)) {
    const f = familyOf(host)
    if (f !== family) throw new NatInputError(`${host} is an IPv${f} address but the test is for IPv${family}`)
    return { ok: true, host, endpoint: { address: canonicalIp(host), port } }
  }
  try {
    const { address } = await lookup(host, { family })
    return { ok: true, host, endpoint: { address: canonicalIp(address), port } }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { ok: false, host, reason: `cannot resolve ${host} to an IPv${family} address${code ? ` (${code})` : ''}` }
  }
}
