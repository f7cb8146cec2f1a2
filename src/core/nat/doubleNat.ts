// Double NAT / carrier-grade NAT detection (issue 13, item 2), from two signals:
//  - the external address a port-mapping protocol (UPnP IGD, NAT-PMP, PCP) reports: private or in
//    100.64.0.0/10, or public but not the address STUN saw, means another NAT beyond the gateway;
//  - the first hops toward the STUN server (the system's tracepath, else traceroute, a few hops and
//    seconds): a hop after the gateway in 100.64.0.0/10 is a carrier-grade NAT's side of the link.
// Node has no raw sockets to read ICMP time-exceeded itself, hence the system tools.
import { isIPv4 } from 'node:net'
import type { DoubleNatResult, NatResult, PortMappingResult } from '../../shared/nat'
import { runCommand, type CommandRunner } from '../sysinfo/exec'

function v4(address: string): number | null {
  if (!isIPv4(address)) return null
  return address.split('.').reduce((n, o) => n * 256 + Number(o), 0)
}

const inRange = (address: string, base: string, bits: number) => {
  const a = v4(address)
  const b = v4(base)
  if (a === null || b === null) return false
  const size = 2 ** (32 - bits)
  return Math.floor(a / size) === Math.floor(b / size)
}

/** RFC 6598 shared address space: what carriers number their side of a CGNAT with. */
export const isCgnat = (address: string) => inRange(address, '100.64.0.0', 10)
/** RFC 1918 private addresses. */
export const isPrivate4 = (address: string) => inRange(address, '10.0.0.0', 8) || inRange(address, '172.16.0.0', 12) || inRange(address, '192.168.0.0', 16)

export interface Hop {
  hop: number
  address: string
}

/** `tracepath -n` or `traceroute -n` output: the first address answering at each hop (unanswered hops are left out). */
export function parseHops(text: string): Hop[] {
  const hops: Hop[] = []
  for (const line of text.split('\n')) {
    // tracepath: " 2:  100.64.0.1    0.050ms"; traceroute: " 2  100.64.0.1  0.050 ms ..."
    const m = /^\s*(\d{1,2})(?::|\s)\s*(\d{1,3}(?:\.\d{1,3}){3})\b/.exec(line)
    if (!m) continue
    const hop = Number(m[1])
    if (hop < 1 || hop > 64 || hops.some((h) => h.hop === hop)) continue
    hops.push({ hop, address: m[2]! })
  }
  return hops
}

/** The first hops toward `target`, bounded in hops and time; never throws. */
export async function traceHops(target: string, options: { maxHops?: number; timeoutMs?: number; run?: CommandRunner } = {}): Promise<{ hops: Hop[]; tool: string | null; error?: string }> {
  const run = options.run ?? runCommand
  const maxHops = options.maxHops ?? 4
  const timeoutMs = options.timeoutMs ?? 4000
  if (!isIPv4(target)) return { hops: [], tool: null, error: `${target} is not an IPv4 address` }
  const tries: Array<[string, string[]]> = [
    ['tracepath', ['-n', '-m', String(maxHops), target]],
    ['traceroute', ['-n', '-q', '1', '-w', '1', '-m', String(maxHops), target]]
  ]
  let error = ''
  for (const [tool, args] of tries) {
    const r = await run(tool, args, timeoutMs)
    const hops = parseHops(r.stdout)
    if (hops.length) return { hops, tool }
    error = r.error ?? `${tool}: no hop answered`
    if (!/not installed/.test(error)) break
  }
  return { hops: [], tool: null, error }
}

export interface DoubleNatInput {
  /** The STUN-mapped address (what the internet sees). */
  mapped: string | null
  portMapping?: PortMappingResult
  hops?: Hop[]
  /** Why the hops are missing, when they are. */
  hopsError?: string
}

/** The judgement, with each signal in words. Pure. */
export function judgeDoubleNat(input: DoubleNatInput): DoubleNatResult {
  const evidence: string[] = []
  const hops = input.hops ?? []
  let detected: boolean | null = null
  let where = ''
  const ext = input.portMapping?.externalAddress ?? null
  const via = input.portMapping ? [input.portMapping.upnp.externalAddress ? 'UPnP' : '', input.portMapping.natPmp.externalAddress ? 'NAT-PMP' : ''].find(Boolean) || 'the gateway' : ''
  if (ext) {
    if (isCgnat(ext) || isPrivate4(ext)) {
      detected = true
      where = `the gateway's external address ${ext} is ${isCgnat(ext) ? 'in 100.64.0.0/10 (carrier-grade NAT)' : 'private'}`
      evidence.push(`${via} says the gateway's external address is ${ext}, ${isCgnat(ext) ? 'a carrier-grade NAT address' : 'a private address'}: another NAT is beyond it`)
    } else if (input.mapped && ext !== input.mapped) {
      detected = true
      where = `the gateway's external address ${ext} is not the address STUN saw (${input.mapped})`
      evidence.push(`${via} says ${ext}, STUN saw ${input.mapped}: another NAT rewrites the address after the gateway`)
    } else if (input.mapped) {
      detected = false
      evidence.push(`${via} says ${ext}, the same address STUN saw: the gateway is the only NAT`)
    }
  }
  // Hops after the first (the gateway) in CGNAT or private space.
  const cgnHop = hops.find((h) => h.hop > 1 && isCgnat(h.address)) ?? hops.find((h) => h.hop === 1 && isCgnat(h.address))
  const privateHops = hops.filter((h) => h.hop > 1 && isPrivate4(h.address))
  const firstPublic = hops.find((h) => !isCgnat(h.address) && !isPrivate4(h.address))
  if (cgnHop) evidence.push(`hop ${cgnHop.hop} is ${cgnHop.address}, in 100.64.0.0/10 (carrier-grade NAT)`)
  if (privateHops.length) evidence.push(`hop${privateHops.length > 1 ? 's' : ''} ${privateHops.map((h) => `${h.hop} (${h.address})`).join(', ')} ${privateHops.length > 1 ? 'are' : 'is'} private`)
  if (hops.length && !cgnHop && !privateHops.length && firstPublic) evidence.push(`the first public hop is ${firstPublic.hop} (${firstPublic.address}), right after the gateway`)
  if (!hops.length && input.hopsError) evidence.push(`no hops measured: ${input.hopsError}`)
  const carrierGrade = cgnHop !== undefined || (ext !== null && isCgnat(ext))
  if (cgnHop && cgnHop.hop > 1) detected = true
  if (detected === null && hops.length && !privateHops.length && firstPublic && firstPublic.hop <= 2) detected = false

  let reason: string
  if (detected) {
    const cg = cgnHop ? `carrier-grade NAT at hop ${cgnHop.hop}, ${cgnHop.address}` : carrierGrade ? `carrier-grade NAT, ${ext}` : where
    reason = `double NAT (${cg}): port forwarding on the home router cannot help; ask the ISP for a public IPv4 address, or use IPv6`
  } else if (detected === false) {
    reason = carrierGrade && cgnHop ? `one NAT, the carrier's (carrier-grade NAT at hop ${cgnHop.hop}, ${cgnHop.address})` : 'one NAT: no second NAT on the way'
  } else if (carrierGrade && cgnHop) {
    reason = `carrier-grade NAT at hop ${cgnHop.hop} (${cgnHop.address})`
  } else if (privateHops.length) {
    reason = `cannot tell: private hops after the gateway (a routed private network, or a second NAT)`
  } else {
    reason = 'cannot tell: no port-mapping answer and no hops measured'
  }
  return { detected, carrierGrade, reason, evidence, hops }
}

/**
 * The double-NAT judgement during a host or join session: the trace starts toward the STUN server NAT
 * discovery answered from as soon as it answers (beside the session, never before the connection), and
 * the judgement waits for it at most `waitMs` when the side is described.
 */
export class SessionDoubleNat {
  private trace: ReturnType<typeof traceHops> | undefined

  constructor(private readonly options: { maxHops?: number; timeoutMs?: number; run?: CommandRunner } = {}) {}

  /** Wraps a NAT discovery so that its answer (behind a NAT) starts the trace. */
  watch(discover: () => Promise<NatResult | null>): () => Promise<NatResult | null> {
    return async () => {
      const r = await discover()
      // No NAT at all (the mapped address is our own): there is no second one to look for.
      if (r?.server && r.mapped && r.mapping !== 'none' && isIPv4(r.server.address)) this.trace ??= traceHops(r.server.address, this.options)
      return r
    }
  }

  /** The judgement for `nat` (with its port mapping, when probed); undefined when there is nothing to judge. */
  async judge(nat: NatResult | null | undefined, waitMs: number): Promise<DoubleNatResult | undefined> {
    if (!nat?.mapped || !this.trace) return undefined
    const trace = this.trace
    const t = await new Promise<Awaited<typeof trace> | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs)
      void trace.then((v) => {
        clearTimeout(timer)
        resolve(v)
      })
    })
    const hops = t ? t.hops : []
    const hopsError = t ? t.error : `the trace toward ${nat.server?.address ?? 'the STUN server'} took longer than ${waitMs} ms`
    return judgeDoubleNat({ mapped: nat.mapped.address, ...(nat.portMapping ? { portMapping: nat.portMapping } : {}), hops, ...(hopsError ? { hopsError } : {}) })
  }
}
