import { createSocket } from 'node:dgram'
import { networkInterfaces } from 'node:os'
import type { NatEndpoint, NatFamily } from '../../shared/nat'
import { canonicalIp, familyOf } from '../stun/address'

/** Every IP of this host's interfaces, of one family, canonical (net/interfaces.ts lists interfaces with names). */
export function hostIps(family: NatFamily): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const a = canonicalIp(info.address)
      if (familyOf(a) === family) out.push(a)
    }
  }
  return out
}

/**
 * The source address the kernel would pick toward `target`. Connecting a UDP socket sends nothing:
 * it only asks the routing table. Undefined when there is no route.
 */
export async function routeSource(target: NatEndpoint, family: NatFamily): Promise<string | undefined> {
  const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' })
  socket.on('error', () => {})
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(target.port, target.address, () => resolve())
    })
    return canonicalIp(socket.address().address)
  } catch {
    return undefined
  } finally {
    try {
      socket.close()
    } catch {
      // already closed
    }
  }
}
