// The three port-mapping clients: ask for the external address, map a UDP port, delete the mapping.
// Every function returns an Outcome (a value, or a one-line reason); none throws.
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { decodeExternalAddressResponse, decodeMapResponse, encodeExternalAddressRequest, encodeMapRequest, NATPMP_PORT } from './natpmp'
import { decodeResponse, encodeAnnounce, encodeMap, PCP_OPCODE, PCP_VERSION } from './pcp'
import { askUdp, httpRequest, type Outcome } from './transport'
import { decodeSearchResponse, decodeSoap, encodeSearch, findWanService, soapEnvelope, SSDP_ADDRESS, SSDP_PORT, type IgdService } from './upnp'

export const natPmpExternalAddress = (gateway: string, timeoutMs: number) =>
  askUdp({ gateway, port: NATPMP_PORT, message: encodeExternalAddressRequest(), decode: decodeExternalAddressResponse, timeoutMs })

/** PCP ANNOUNCE: whether the gateway speaks PCP, changes nothing. */
export const pcpAnnounce = (gateway: string, clientAddress: string, timeoutMs: number) =>
  askUdp({ gateway, port: NATPMP_PORT, message: encodeAnnounce(clientAddress), decode: (b) => decodeResponse(b, PCP_OPCODE.announce), timeoutMs })

export interface Mapping {
  protocol: 'upnp' | 'nat-pmp' | 'pcp'
  internalPort: number
  externalPort: number
  externalAddress: string | null
  lifetimeS: number
  /** What removing it needs. */
  remove: () => Promise<Outcome<null>>
}

/** A mapping the gateway granted, with how to delete it (any answer to the delete request counts). */
function granted(ms: number, mapping: Omit<Mapping, 'remove'>, deleteIt: () => Promise<Outcome<unknown>>): Outcome<Mapping> {
  const remove = async (): Promise<Outcome<null>> => {
    const d = await deleteIt()
    return d.ok ? { ok: true, value: null, ms: d.ms } : d
  }
  return { ok: true, ms, value: { ...mapping, remove } }
}

export async function natPmpMapUdp(gateway: string, internalPort: number, lifetimeS: number, timeoutMs: number, externalAddress: string | null): Promise<Outcome<Mapping>> {
  const r = await askUdp({ gateway, port: NATPMP_PORT, message: encodeMapRequest('udp', internalPort, internalPort, lifetimeS), decode: (b) => decodeMapResponse(b, 'udp'), timeoutMs })
  if (!r.ok) return r
  // RFC 6886 3.4: lifetime 0 and external port 0 delete the mapping.
  return granted(r.ms, { protocol: 'nat-pmp', internalPort, externalPort: r.value.externalPort, externalAddress, lifetimeS: r.value.lifetimeS }, () =>
    askUdp({ gateway, port: NATPMP_PORT, message: encodeMapRequest('udp', internalPort, 0, 0), decode: (b) => decodeMapResponse(b, 'udp'), timeoutMs })
  )
}

export async function pcpMapUdp(gateway: string, clientAddress: string, internalPort: number, lifetimeS: number, timeoutMs: number): Promise<Outcome<Mapping>> {
  const nonce = randomBytes(12)
  const ask = (lifetime: number, suggested: number) =>
    askUdp({
      gateway,
      port: NATPMP_PORT,
      message: encodeMap({ nonce, protocol: 'udp', internalPort, suggestedExternalPort: suggested, lifetimeS: lifetime, clientAddress }),
      decode: (b) => {
        const d = decodeResponse(b, PCP_OPCODE.map)
        if (d.ok && d.value.map && !d.value.map.nonce.equals(nonce)) return { ok: false as const, reason: 'PCP answer with another nonce' }
        return d
      },
      timeoutMs
    })
  const r = await ask(lifetimeS, internalPort)
  if (!r.ok) return r
  const m = r.value.map!
  return granted(r.ms, { protocol: 'pcp', internalPort, externalPort: m.externalPort, externalAddress: m.externalAddress, lifetimeS: r.value.lifetimeS }, () => ask(0, 0))
}

export interface IgdFound {
  location: string
  server: string
  service: IgdService
}

/**
 * SSDP search for an Internet Gateway Device: multicast on the interface toward the gateway and
 * unicast to the gateway itself; an answer from the gateway wins, else the first usable one.
 */
export function ssdpSearch(gateway: string, localAddress: string | null, timeoutMs: number): Promise<Outcome<{ location: string; server: string; from: string }>> {
  const t0 = performance.now()
  const ms = () => Math.round(performance.now() - t0)
  return new Promise((resolve) => {
    const s = createSocket({ type: 'udp4', reuseAddr: false })
    const found: Array<{ location: string; server: string; from: string }> = []
    let lastReason = ''
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      s.close()
      const best = found.find((f) => f.from === gateway || new URL(f.location).hostname === gateway) ?? found[0]
      resolve(best ? { ok: true, value: best, ms: ms() } : { ok: false, reason: lastReason || `no SSDP answer within ${timeoutMs} ms`, ms: ms() })
    }
    const timer = setTimeout(finish, timeoutMs)
    s.on('message', (b, rinfo) => {
      const d = decodeSearchResponse(b)
      if (!d.ok) {
        lastReason = `${rinfo.address}: ${d.reason}`
        return
      }
      found.push({ location: d.value.location, server: d.value.server, from: rinfo.address })
      if (rinfo.address === gateway) finish()
    })
    s.once('error', (err) => {
      lastReason = `SSDP socket error: ${err.message}`
      finish()
    })
    s.bind(0, localAddress ?? undefined, () => {
      const msg = encodeSearch()
      try {
        if (localAddress) s.setMulticastInterface(localAddress)
        s.setMulticastTTL(2)
      } catch {
        // unicast below still asks the gateway
      }
      const send = () => {
        if (finished) return
        s.send(msg, SSDP_PORT, SSDP_ADDRESS, () => {})
        s.send(msg, SSDP_PORT, gateway, () => {})
      }
      send()
      setTimeout(send, 300).unref()
    })
  })
}

export async function igdDescribe(location: string, server: string, timeoutMs: number): Promise<Outcome<IgdFound>> {
  const r = await httpRequest(location, { timeoutMs })
  if (!r.ok) return r
  if (r.value.status !== 200) return { ok: false, reason: `device description ${location}: HTTP ${r.value.status}`, ms: r.ms }
  const svc = findWanService(r.value.body, location)
  return svc.ok ? { ok: true, value: { location, server, service: svc.value }, ms: r.ms } : { ok: false, reason: svc.reason, ms: r.ms }
}

export async function soap(service: IgdService, action: string, args: Record<string, string | number>, outputs: string[], timeoutMs: number): Promise<Outcome<Record<string, string>>> {
  const r = await httpRequest(service.controlUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPAction: `"${service.serviceType}#${action}"` },
    body: soapEnvelope(service.serviceType, action, args),
    timeoutMs,
    maxBytes: 64 * 1024
  })
  if (!r.ok) return r
  const d = decodeSoap(r.value.status, r.value.body, outputs)
  return d.ok ? { ok: true, value: d.value, ms: r.ms } : { ok: false, reason: `${action}: ${d.reason}`, ms: r.ms, ...(d.resultCode !== undefined ? { resultCode: d.resultCode } : {}) }
}

export async function upnpMapUdp(service: IgdService, localAddress: string, internalPort: number, lifetimeS: number, timeoutMs: number, externalAddress: string | null): Promise<Outcome<Mapping>> {
  const args = {
    NewRemoteHost: '',
    NewExternalPort: internalPort,
    NewProtocol: 'UDP',
    NewInternalPort: internalPort,
    NewInternalClient: localAddress,
    NewEnabled: 1,
    NewPortMappingDescription: 'peerlens',
    NewLeaseDuration: lifetimeS
  }
  const r = await soap(service, 'AddPortMapping', args, [], timeoutMs)
  if (!r.ok) return r
  return granted(r.ms, { protocol: 'upnp', internalPort, externalPort: internalPort, externalAddress, lifetimeS }, () =>
    soap(service, 'DeletePortMapping', { NewRemoteHost: '', NewExternalPort: internalPort, NewProtocol: 'UDP' }, [], timeoutMs)
  )
}

export { PCP_VERSION }
