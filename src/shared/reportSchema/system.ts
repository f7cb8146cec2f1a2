// What the machine says about its network (`sides[].system`), collected by src/core/sysinfo.
import { array, boolean, def, enumOf, integer, nullable, number, object, optional, string, unknown } from '../schema/builder'

const family = () => enumOf([4, 6])

export const SystemInterface = def(
  'systemInterface',
  object({
    name: string(),
    up: nullable(boolean(), { description: 'null: the platform did not say.' }),
    mtu: nullable(integer()),
    internal: boolean(),
    vpnLike: boolean({ description: 'Names WireGuard meshes and other VPNs use (wg*, wt*, tun*, utun*, tailscale*...).' }),
    addresses: array(object({ address: string(), family: family(), prefixLength: nullable(integer()) }))
  })
)

export const RouteFact = def(
  'route',
  object({
    destination: string(),
    ok: boolean(),
    command: string(),
    interface: optional(nullable(string())),
    gateway: optional(nullable(string())),
    source: optional(nullable(string())),
    mtu: optional(nullable(integer())),
    vpnLike: optional(boolean()),
    error: optional(string())
  })
)

export const Gateway = def('gateway', object({ address: string(), interface: nullable(string()), family: family() }))

export const VpnFact = def(
  'vpn',
  object(
    {
      tool: enumOf(['netbird', 'wg']),
      command: string(),
      ok: boolean(),
      exitCode: nullable(integer()),
      output: unknown({ description: 'parsed JSON or text' }),
      error: optional(string())
    },
    { additionalProperties: false, description: 'A VPN client found on the PATH, with its status output (keys and secrets removed).' }
  )
)

export const SystemFacts = def(
  'system',
  object(
    {
      collectedAt: string(),
      platform: string(),
      durationMs: number(),
      interfaces: array(SystemInterface),
      routes: array(RouteFact, { description: "The route toward each of the other side's candidate addresses." }),
      defaultGateways: array(Gateway),
      vpn: array(VpnFact, { description: 'VPN clients found on the PATH, with their status output.' }),
      errors: array(string(), { description: 'Commands that failed while collecting (never fatal).' })
    },
    { description: 'What the machine says about its network: interfaces, routes toward the other side, gateways, VPN clients.' }
  )
)
