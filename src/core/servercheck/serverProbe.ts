import { createHash } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { ServerProbe } from '../../shared/report'
import type { IceOptions } from '../peer/iceConfig'
import { codec, type StunMessage } from '../werift/stunLoad'
import { openStunClient, StunClientError, type StunClient, type Transport } from '../stun/client'
import { explainTurnError } from './turnErrors'

const { Message, classes, methods } = codec

// REQUESTED-TRANSPORT carries the protocol number (17, UDP) in its first byte, then three reserved bytes.
const UDP = 0x11000000

interface ParsedUrl {
  kind: 'stun' | 'turn'
  host: string
  port: number
  transport: Transport
}

/** A normalised stun:/turn:/turns: URL (see normalizeIceUrl) as host, port and transport. */
export function parseServerUrl(url: string): ParsedUrl {
  const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+):(\d+)(?:\?transport=(udp|tcp))?$/.exec(url)
  if (!m) throw new Error(`not a normalised STUN/TURN URL: ${url}`)
  const scheme = m[1]!
  const secure = scheme.endsWith('s')
  return {
    kind: scheme.startsWith('turn') ? 'turn' : 'stun',
    host: m[2]!.replace(/^\[|\]$/g, ''),
    port: Number(m[3]),
    transport: secure ? 'tls' : ((m[4] as Transport | undefined) ?? 'udp')
  }
}

function xorEndpoint(value: unknown): { address: string; port: number } | null {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number' ? { address: value[0], port: value[1] } : null
}

function errorOf(m: StunMessage): { code: number; reason: string } | undefined {
  const v = m.getAttributeValue('ERROR-CODE') as [number, string] | undefined
  return v ? { code: v[0], reason: v[1] } : undefined
}

async function resolve(host: string): Promise<string> {
  if (isIP(host)) return host
  const { address } = await lookup(host)
  return address
}

/** Binding request to one STUN server: reachable or not, latency, our reflexive address. */
export async function probeStun(url: string): Promise<ServerProbe> {
  const u = parseServerUrl(url)
  const probe: ServerProbe = { url, kind: 'stun', transport: u.transport, reachable: false, rttMs: null, mapped: null }
  let client: StunClient | undefined
  try {
    const address = await resolve(u.host)
    probe.resolved = { address, port: u.port }
    client = await openStunClient(u.transport, address, u.port, u.host)
    const { response, rttMs } = await client.request(new Message(methods.BINDING, classes.REQUEST))
    probe.reachable = true
    probe.rttMs = rttMs
    probe.mapped = xorEndpoint(response.getAttributeValue('XOR-MAPPED-ADDRESS')) ?? xorEndpoint(response.getAttributeValue('MAPPED-ADDRESS'))
    const error = errorOf(response)
    if (error) probe.error = { code: error.code, reason: `${error.code} ${error.reason}` }
  } catch (err) {
    probe.error = { reason: describe(err) }
  } finally {
    client?.close()
  }
  return probe
}

/**
 * A TURN Allocate with long-term credentials, as ICE would do it, decoded: the challenge, the
 * allocation (relay address, lifetime), a CreatePermission, then the allocation is released.
 */
export async function probeTurn(url: string, username: string | undefined, password: string | undefined): Promise<ServerProbe> {
  const u = parseServerUrl(url)
  const probe: ServerProbe = { url, kind: 'turn', transport: u.transport, reachable: false, rttMs: null, mapped: null, relay: null }
  let client: StunClient | undefined
  try {
    const address = await resolve(u.host)
    probe.resolved = { address, port: u.port }
    client = await openStunClient(u.transport, address, u.port, u.host)
    const allocate = (auth?: Auth): StunMessage => withAuth(new Message(methods.ALLOCATE, classes.REQUEST).setAttribute('REQUESTED-TRANSPORT', UDP), auth)
    const first = await client.request(allocate())
    let response = first.response
    probe.reachable = true
    probe.rttMs = first.rttMs
    let error = errorOf(response)
    let auth: Auth | undefined
    if (error?.code === 401) {
      if (username === undefined || password === undefined) {
        probe.error = { code: 401, reason: explainTurnError(401, 'allocate', false) }
        return probe
      }
      auth = challenge(response, username, password)
      ;({ response } = await client.request(allocate(auth)))
      error = errorOf(response)
      if (error?.code === 438) {
        // Stale nonce: the server hands a fresh one; one retry is the protocol, more is a loop.
        auth = challenge(response, username, password, auth)
        ;({ response } = await client.request(allocate(auth)))
        error = errorOf(response)
      }
    }
    if (error) {
      probe.error = { code: error.code, reason: explainTurnError(error.code, 'allocate', auth !== undefined) }
      return probe
    }
    probe.relay = xorEndpoint(response.getAttributeValue('XOR-RELAYED-ADDRESS'))
    probe.mapped = xorEndpoint(response.getAttributeValue('XOR-MAPPED-ADDRESS'))
    const lifetime = response.getAttributeValue('LIFETIME') as number | undefined
    if (typeof lifetime === 'number') probe.lifetimeS = lifetime
    // CreatePermission toward a documentation address: it only opens a filter, no packet goes there.
    const permission = withAuth(new Message(methods.CREATE_PERMISSION, classes.REQUEST).setAttribute('XOR-PEER-ADDRESS', ['198.51.100.1', 9]), auth)
    const permitted = await client.request(permission)
    const permissionError = errorOf(permitted.response)
    if (permissionError) probe.error = { code: permissionError.code, reason: explainTurnError(permissionError.code, 'permission', true) }
    // Release the allocation: a probe must not hold a relay port for ten minutes.
    await client.request(withAuth(new Message(methods.REFRESH, classes.REQUEST).setAttribute('LIFETIME', 0), auth)).catch(() => undefined)
  } catch (err) {
    probe.error = { reason: describe(err) }
  } finally {
    client?.close()
  }
  return probe
}

interface Auth {
  username: string
  realm: string
  nonce: string
  key: Buffer
}

function challenge(response: StunMessage, username: string, password: string, previous?: Auth): Auth {
  const realm = (response.getAttributeValue('REALM') as string | undefined) ?? previous?.realm ?? ''
  const nonce = (response.getAttributeValue('NONCE') as string | undefined) ?? previous?.nonce ?? ''
  return { username, realm, nonce, key: createHash('md5').update(`${username}:${realm}:${password}`).digest() }
}

function withAuth(m: StunMessage, auth: Auth | undefined): StunMessage {
  if (!auth) return m
  m.setAttribute('USERNAME', auth.username).setAttribute('REALM', auth.realm).setAttribute('NONCE', auth.nonce)
  m.addMessageIntegrity(auth.key)
  return m
}

function describe(err: unknown): string {
  if (err instanceof StunClientError) return err.message
  const e = err as NodeJS.ErrnoException
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot resolve the server name (${e.code})`
  return e.message ?? String(err)
}

/** One probe per configured server, all at once. werift uses only the first of each kind: the others are still probed. */
export async function probeServers(ice: IceOptions): Promise<ServerProbe[]> {
  const jobs = [...ice.stun.map((u) => probeStun(u)), ...ice.turn.map((u) => probeTurn(u, ice.turnUser, ice.turnPass))]
  return Promise.all(jobs)
}

/** The TCP endpoints of the TURN servers (werift reaches any TURN port over TCP when UDP is silent): for NAT discovery's UDP-blocked check. */
export function turnTcpEndpoints(turnUrls: readonly string[]): Array<{ address: string; port: number }> {
  return turnUrls.flatMap((u) => {
    try {
      const p = parseServerUrl(u)
      return p.kind === 'turn' ? [{ address: p.host, port: p.port }] : []
    } catch {
      return []
    }
  })
}
