// UPnP IGD: pure parts. The SSDP search and its answers, the device description (which service
// controls the WAN connection, at which URL), SOAP requests and their answers. No XML library: the
// few elements needed are read with bounded regular expressions; anything else is a one-line reason.
import type { Decoded } from './natpmp'

export const SSDP_ADDRESS = '239.255.255.250'
export const SSDP_PORT = 1900
export const IGD_TARGET = 'urn:schemas-upnp-org:device:InternetGatewayDevice:1'

export function encodeSearch(target = IGD_TARGET, mxS = 1): Buffer {
  return Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${SSDP_ADDRESS}:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: ${mxS}\r\nST: ${target}\r\n\r\n`)
}

/** An SSDP answer: its LOCATION (the description's URL) and what it is (ST). */
export function decodeSearchResponse(b: Buffer): Decoded<{ location: string; st: string; server: string }> {
  const text = b.subarray(0, 4096).toString('latin1')
  if (!/^HTTP\/1\.[01] 200\b/.test(text)) return { ok: false, reason: `not an SSDP answer (${JSON.stringify(text.split('\r\n')[0]!.slice(0, 40))})` }
  const headers = new Map<string, string>()
  for (const line of text.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':')
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
  }
  const location = headers.get('location')
  if (!location) return { ok: false, reason: 'SSDP answer without LOCATION' }
  let url: URL
  try {
    url = new URL(location)
  } catch {
    return { ok: false, reason: `SSDP answer with a bad LOCATION ${JSON.stringify(location.slice(0, 80))}` }
  }
  if (url.protocol !== 'http:') return { ok: false, reason: `SSDP LOCATION is not http: ${JSON.stringify(location.slice(0, 80))}` }
  return { ok: true, value: { location: url.href, st: headers.get('st') ?? '', server: headers.get('server') ?? '' } }
}

export interface IgdService {
  serviceType: string
  controlUrl: string
}

const WAN_SERVICES = [/^urn:schemas-upnp-org:service:WANIPConnection:[12]$/, /^urn:schemas-upnp-org:service:WANPPPConnection:1$/]

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>([^<]{0,2048})</(?:\\w+:)?${name}>`).exec(xml)
  return m?.[1]?.trim()
}

/** The device description: the WANIPConnection (or WANPPPConnection) service and its absolute control URL. */
export function findWanService(xml: string, location: string): Decoded<IgdService> {
  if (!/<(?:\w+:)?root\b/.test(xml)) return { ok: false, reason: 'the device description is not UPnP XML (no <root>)' }
  const base = tag(xml, 'URLBase') || location
  const services = xml.match(/<(?:\w+:)?service\b[^>]*>[\s\S]{0,4096}?<\/(?:\w+:)?service>/g) ?? []
  const found: string[] = []
  for (const pattern of WAN_SERVICES) {
    for (const s of services) {
      const serviceType = tag(s, 'serviceType') ?? ''
      found.push(serviceType)
      if (!pattern.test(serviceType)) continue
      const control = tag(s, 'controlURL')
      if (!control) return { ok: false, reason: `${serviceType} without a controlURL` }
      try {
        const url = new URL(control, base)
        if (url.protocol !== 'http:') return { ok: false, reason: `control URL is not http: ${url.href}` }
        return { ok: true, value: { serviceType, controlUrl: url.href } }
      } catch {
        return { ok: false, reason: `bad control URL ${JSON.stringify(control.slice(0, 80))}` }
      }
    }
  }
  return { ok: false, reason: `no WANIPConnection or WANPPPConnection service in the description (${services.length} services)` }
}

export function soapEnvelope(serviceType: string, action: string, args: Record<string, string | number> = {}): string {
  const body = Object.entries(args)
    .map(([k, v]) => `<${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('')
  return (
    '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
    `<s:Body><u:${action} xmlns:u="${serviceType}">${body}</u:${action}></s:Body></s:Envelope>\r\n`
  )
}

/** A SOAP answer: the named output arguments, or the UPnP error in words. */
export function decodeSoap(status: number, xml: string, outputs: string[]): Decoded<Record<string, string>> {
  if (status !== 200) {
    const code = tag(xml, 'errorCode')
    const desc = tag(xml, 'errorDescription')
    return { ok: false, reason: `UPnP error${code ? ` ${code}` : ''}${desc ? ` (${desc})` : ''} (HTTP ${status})`, ...(code ? { resultCode: Number(code) } : {}) }
  }
  const out: Record<string, string> = {}
  for (const name of outputs) {
    const v = tag(xml, name)
    if (v === undefined) return { ok: false, reason: `UPnP answer without ${name}` }
    out[name] = v
  }
  return { ok: true, value: out }
}
