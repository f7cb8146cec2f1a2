// System facts that explain routing problems: interfaces, the route toward the other side, the
// default gateway, VPN clients. Best effort: every command has a timeout, a failure is recorded
// in `errors` (or on the route), nothing here ever throws.
import { networkInterfaces } from 'node:os'
import { isIP } from 'node:net'
import type { Gateway, RouteFact, SystemFacts, SystemInterface } from '../../shared/report'
import { isVpnLikeName } from '../net/interfaces'
import { firstLine, runCommand, findOnPath, type CommandRunner } from './exec'
import { parseIpAddr, parseIpDefaultRoutes, parseIpRouteGet } from './linux'
import { parseIfconfig, parseRouteDefault, parseRouteGet } from './darwin'
import { parseFindNetRoute, parseNetIpInterface, parseNetRouteDefault } from './windows'
import { collectVpn } from './vpn'

export interface SystemFactsOptions {
  /** Per command, ms (default 3000). */
  timeoutMs?: number
  platform?: NodeJS.Platform
  run?: CommandRunner
  /** Finds a VPN client's binary; default: search PATH. */
  find?: (name: string) => Promise<string | null>
  /** Most routes looked up (default 16): a side rarely has more distinct candidate addresses. */
  maxRoutes?: number
  now?: () => Date
}

interface Ctx {
  run: CommandRunner
  timeoutMs: number
  errors: string[]
}

/** Interfaces, routes toward `remoteAddresses`, default gateways and VPN client status. */
export async function collectSystemFacts(remoteAddresses: string[], options: SystemFactsOptions = {}): Promise<SystemFacts> {
  const platform = options.platform ?? process.platform
  const ctx: Ctx = { run: options.run ?? runCommand, timeoutMs: options.timeoutMs ?? 3000, errors: [] }
  const now = options.now ?? (() => new Date())
  const t0 = performance.now()
  const collectedAt = now().toISOString()
  const destinations = [...new Set(remoteAddresses.map((a) => a.replace(/^\[|\]$/g, '').replace(/%.*$/, '')))].slice(0, options.maxRoutes ?? 16)
  const [interfaces, routes, defaultGateways, vpn] = await Promise.all([
    collectInterfaces(platform, ctx),
    Promise.all(destinations.map((d) => routeTo(d, platform, ctx))),
    collectGateways(platform, ctx),
    collectVpn(ctx.run, ctx.timeoutMs, options.find ?? ((n) => findOnPath(n, process.env.PATH, platform))).catch((err: unknown) => {
      ctx.errors.push(`VPN clients: ${firstLine((err as Error).message)}`)
      return []
    })
  ])
  return { collectedAt, platform, durationMs: Math.round(performance.now() - t0), interfaces, routes, defaultGateways, vpn, errors: ctx.errors }
}

/** Runs a command and parses its output; a failure is recorded and `fallback` returned. */
async function attempt<T>(ctx: Ctx, command: string, args: string[], parse: (stdout: string) => T, fallback: T): Promise<T> {
  const r = await ctx.run(command, args, ctx.timeoutMs)
  if (r.error) {
    ctx.errors.push(r.error)
    return fallback
  }
  try {
    return parse(r.stdout)
  } catch (err) {
    ctx.errors.push(`${command} ${args.join(' ')}: unreadable output (${firstLine((err as Error).message)})`)
    return fallback
  }
}

/** What Node knows (no MTU, no up/down, no interfaces without addresses): the fallback everywhere. */
export function nodeInterfaces(): SystemInterface[] {
  return Object.entries(networkInterfaces()).map(([name, list]) => ({
    name,
    up: null,
    mtu: null,
    internal: (list ?? []).some((a) => a.internal),
    vpnLike: isVpnLikeName(name),
    addresses: (list ?? []).map((a) => ({ address: a.address, family: a.family === 'IPv6' ? (6 as const) : (4 as const), prefixLength: cidrPrefix(a.cidr) }))
  }))
}

function cidrPrefix(cidr: string | null): number | null {
  const n = Number(cidr?.split('/')[1])
  return cidr && Number.isInteger(n) ? n : null
}

const PS = ['-NoProfile', '-NonInteractive', '-Command']

async function collectInterfaces(platform: NodeJS.Platform, ctx: Ctx): Promise<SystemInterface[]> {
  if (platform === 'linux') return attempt(ctx, 'ip', ['-j', 'addr', 'show'], parseIpAddr, nodeInterfaces())
  if (platform === 'darwin') return attempt(ctx, 'ifconfig', ['-a'], parseIfconfig, nodeInterfaces())
  if (platform === 'win32') {
    const base = nodeInterfaces()
    return attempt(ctx, 'powershell', [...PS, 'Get-NetIPInterface | Select-Object InterfaceAlias,AddressFamily,NlMtu,ConnectionState | ConvertTo-Json'], (o) => parseNetIpInterface(o, base), base)
  }
  return nodeInterfaces()
}

async function routeTo(destination: string, platform: NodeJS.Platform, ctx: Ctx): Promise<RouteFact> {
  const family = isIP(destination)
  if (!family) return { destination, ok: false, command: '', error: 'not an IP address (an mDNS name or hostname): no route looked up' }
  let command: string
  let args: string[]
  let parse: (stdout: string, destination: string, command: string) => RouteFact
  if (platform === 'linux') {
    ;[command, args, parse] = ['ip', ['-j', ...(family === 6 ? ['-6'] : []), 'route', 'get', destination], parseIpRouteGet]
  } else if (platform === 'darwin') {
    ;[command, args, parse] = ['route', ['-n', 'get', ...(family === 6 ? ['-inet6'] : []), destination], parseRouteGet]
  } else if (platform === 'win32') {
    ;[command, args, parse] = ['powershell', [...PS, `Find-NetRoute -RemoteIPAddress '${destination}' | Select-Object InterfaceAlias,IPAddress,NextHop | ConvertTo-Json`], parseFindNetRoute]
  } else {
    return { destination, ok: false, command: '', error: `no route lookup on ${platform}` }
  }
  const shown = platform === 'win32' ? `Find-NetRoute -RemoteIPAddress ${destination}` : `${command} ${args.join(' ')}`
  const r = await ctx.run(command, args, ctx.timeoutMs)
  if (r.error) return { destination, ok: false, command: shown, error: r.error }
  try {
    return parse(r.stdout, destination, shown)
  } catch (err) {
    return { destination, ok: false, command: shown, error: `unreadable output (${firstLine((err as Error).message)})` }
  }
}

async function collectGateways(platform: NodeJS.Platform, ctx: Ctx): Promise<Gateway[]> {
  if (platform === 'linux') {
    const [v4, v6] = await Promise.all([
      attempt(ctx, 'ip', ['-j', 'route', 'show', 'default'], (o) => parseIpDefaultRoutes(o, 4), []),
      attempt(ctx, 'ip', ['-j', '-6', 'route', 'show', 'default'], (o) => parseIpDefaultRoutes(o, 6), [])
    ])
    return [...v4, ...v6]
  }
  if (platform === 'darwin') {
    const [v4, v6] = await Promise.all([
      attempt(ctx, 'route', ['-n', 'get', 'default'], (o) => parseRouteDefault(o, 4), []),
      attempt(ctx, 'route', ['-n', 'get', '-inet6', 'default'], (o) => parseRouteDefault(o, 6), [])
    ])
    return [...v4, ...v6]
  }
  if (platform === 'win32') {
    return attempt(ctx, 'powershell', [...PS, "Get-NetRoute -DestinationPrefix '0.0.0.0/0','::/0' | Select-Object NextHop,InterfaceAlias | ConvertTo-Json"], parseNetRouteDefault, [])
  }
  return []
}
