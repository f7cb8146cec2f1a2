// The default IPv4 gateway, from the same commands and parsers as the system facts.
import { parseIpDefaultRoutes } from '../sysinfo/linux'
import { parseRouteDefault } from '../sysinfo/darwin'
import { parseNetRouteDefault } from '../sysinfo/windows'
import { runCommand, type CommandRunner } from '../sysinfo/exec'
import { isIPv4 } from 'node:net'

export async function defaultGateway4(platform: NodeJS.Platform = process.platform, run: CommandRunner = runCommand, timeoutMs = 2000): Promise<{ address: string | null; reason: string }> {
  try {
    let list: Array<{ address: string }> = []
    if (platform === 'linux') {
      const r = await run('ip', ['-j', 'route', 'show', 'default'], timeoutMs)
      if (r.error) return { address: null, reason: r.error }
      list = parseIpDefaultRoutes(r.stdout, 4)
    } else if (platform === 'darwin') {
      const r = await run('route', ['-n', 'get', 'default'], timeoutMs)
      if (r.error) return { address: null, reason: r.error }
      list = parseRouteDefault(r.stdout, 4)
    } else if (platform === 'win32') {
      const r = await run('powershell', ['-NoProfile', '-NonInteractive', '-Command', "Get-NetRoute -DestinationPrefix '0.0.0.0/0' | Select-Object NextHop,InterfaceAlias | ConvertTo-Json"], timeoutMs)
      if (r.error) return { address: null, reason: r.error }
      list = parseNetRouteDefault(r.stdout)
    } else {
      return { address: null, reason: `no default gateway lookup on ${platform}` }
    }
    const gw = list.find((g) => isIPv4(g.address))
    return gw ? { address: gw.address, reason: 'default route' } : { address: null, reason: 'no IPv4 default route' }
  } catch (err) {
    return { address: null, reason: `unreadable route output (${(err as Error).message.split('\n')[0]})` }
  }
}
