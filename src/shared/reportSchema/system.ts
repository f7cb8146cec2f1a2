// What the machine says about its network (`sides[].system`), collected by src/core/sysinfo.
import { array, boolean, def, enumOf, integer, nullable, object, optional, string, unknown } from '../schema/builder'
import { mtu, sessionMs } from './common'

const family = () => enumOf([4, 6])

export const SystemInterface = def(
  'systemInterface',
  object({
    name: string(),
    up: nullable(boolean(), { description: 'null: the platform did not say.' }),
    mtu: nullable(mtu()),
    internal: boolean(),
    vpnLike: boolean({ description: 'Names WireGuard meshes and other VPNs use (wg*, wt*, tun*, utun*, tailscale*...).' }),
    addresses: array(object({ address: string(), family: family(), prefixLength: nullable(integer({ minimum: 0, maximum: 128 })) }))
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
    mtu: optional(nullable(mtu())),
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
      exitCode: nullable(integer({ minimum: -2_147_483_648, maximum: 4_294_967_295 })),
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
      durationMs: sessionMs(),
      interfaces: array(SystemInterface),
      routes: array(RouteFact, { description: "The route toward each of the other side's candidate addresses." }),
      defaultGateways: array(Gateway),
      vpn: array(VpnFact, { description: 'VPN clients found on the PATH, with their status output.' }),
      errors: array(string(), { description: 'Commands that failed while collecting (never fatal).' })
    },
    { description: 'What the machine says about its network: interfaces, routes toward the other side, gateways, VPN clients.' }
  )
)
