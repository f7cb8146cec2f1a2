import { isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'
import { SignalError } from './errors'
import { localAddresses } from '../net/interfaces'

/**
 * The Host names a server answers to. A page on a rebinding DNS name (evil.example resolving to
 * 192.168.1.10) reaches the server with `Host: evil.example`: refusing every name the server did
 * not advertise keeps such pages out.
 */
export interface AllowedHosts {
  /** Host names and addresses, as in a URL (brackets optional for IPv6); compared without case. */
  names: string[]
  /** Also every address of this machine's interfaces at the time of the request (a wildcard listen). */
  localAddresses?: boolean
}

/** What a server listening on `listenHost` advertises: its listen address(es), `localhost` with them, and its public URL. */
export function advertisedHosts(listenHost: string, extra: Array<string | undefined> = []): AllowedHosts {
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === ''
  const names = [...(wildcard ? [] : [listenHost]), ...extra.filter((h): h is string => !!h).map(hostOfUrl)]
  if (wildcard || /^127\.|^::1$|^localhost$/i.test(listenHost)) names.push('localhost')
  return { names, localAddresses: wildcard }
}

/** The host name of a URL, or the text itself when it is a bare name or address. */
function hostOfUrl(text: string): string {
  try {
    return new URL(text).hostname
  } catch {
    return text
  }
}

function normalize(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
}

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), or undefined when malformed. */
function hostName(header: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::\d{1,5})?$/.exec(header.trim())
  return m ? normalize(m[1]!) : undefined
}

/** Throws 421 unless the request's Host header names one of the allowed hosts. */
export function checkHost(req: IncomingMessage, allowed: AllowedHosts): void {
  const header = req.headers.host
  const name = header ? hostName(header) : undefined
  if (name !== undefined) {
    if (allowed.names.some((n) => normalize(n) === name)) return
    if (allowed.localAddresses && isIP(name) && localAddresses().some((a) => normalize(a.address) === name)) return
  }
  const shown = header === undefined ? 'none' : JSON.stringify(header.slice(0, 100))
  throw new SignalError(421, `this server does not answer to Host ${shown}: use the address in the invite`)
}

/**
 * The address a request is keyed on (rate limit, rooms per address): the socket's peer, or with
 * `trustProxy` the last hop of X-Forwarded-For, the address the proxy in front of us saw. Earlier
 * entries are whatever the client wrote and are never used.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? 'unknown'
  if (!trustProxy) return socket
  const header = req.headers['x-forwarded-for']
  const list = Array.isArray(header) ? header.join(',') : (header ?? '')
  const last = list.split(',').map((s) => s.trim()).filter(Boolean).pop()
  return last && isIP(last) ? last : socket
}
