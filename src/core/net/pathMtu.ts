import { execFile } from 'node:child_process'
import { isIP } from 'node:net'
import type { PathMtu } from '../../shared/report'

export type Pinger = (address: string, payload: number) => Promise<{ ok: boolean; tooBig?: number; text: string }>

const IPV4_OVERHEAD = 28 // IP header 20 + ICMP header 8
const IPV6_OVERHEAD = 48
const MIN_PAYLOAD = 548
const MAX_PAYLOAD = 1472

/** One "don't fragment" ping of `payload` bytes, with the platform's own ping. */
export function systemPinger(platform: NodeJS.Platform = process.platform): Pinger {
  return (address, payload) => {
    const v6 = isIP(address) === 6
    const [cmd, args] =
      platform === 'win32'
        ? ['ping', ['-f', '-l', String(payload), '-n', '1', '-w', '1000', address]]
        : platform === 'darwin'
          ? [v6 ? 'ping6' : 'ping', ['-D', '-s', String(payload), '-c', '1', '-W', '1000', address]]
          : ['ping', [...(v6 ? ['-6'] : []), '-M', 'do', '-s', String(payload), '-c', '1', '-W', '0.5', address]]
    return new Promise((resolve) => {
      execFile(cmd, args as string[], { timeout: 3000 }, (err, stdout, stderr) => {
        const text = `${stdout}${stderr}`
        // "Frag needed and DF set (mtu = 1400)" or "message too long, mtu=1400": the path says its MTU.
        const m = /mtu\s*=\s*(\d+)/i.exec(text)
        const result: { ok: boolean; tooBig?: number; text: string } = { ok: !err && /1 received|bytes from|Reply from/i.test(text), text }
        if (m) result.tooBig = Number(m[1])
        if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') result.text = 'ENOENT'
        resolve(result)
      })
    })
  }
}

/**
 * Path MTU toward `address` by "don't fragment" pings, binary search over the payload size: the
 * largest IP packet that got through. A classic WireGuard failure shows here (a tunnel MTU larger
 * than the path). Bounded: about ten pings of one second at most.
 */
export async function probePathMtu(address: string | null, ping: Pinger = systemPinger()): Promise<PathMtu> {
  const method = 'ping with don\'t-fragment, binary search'
  if (!address) return { toward: null, mtu: null, method, reason: 'no address of the other side to probe' }
  const toward = { address, port: 0 }
  const overhead = isIP(address) === 6 ? IPV6_OVERHEAD : IPV4_OVERHEAD
  const first = await ping(address, MIN_PAYLOAD)
  if (first.text === 'ENOENT') return { toward, mtu: null, method, reason: 'no ping command on this machine' }
  if (!first.ok) {
    // Silent destinations are common (routers drop ping from outside), but a router on the way
    // still says "fragmentation needed" for a packet too big for its next link: ask once at full size.
    const big = first.tooBig ? first : await ping(address, MAX_PAYLOAD)
    if (big.tooBig) return { toward, mtu: big.tooBig, method: 'ping with don\'t-fragment: MTU reported by a router on the way', reason: `${address} does not answer ping; a router on the way reported this MTU, so the path carries at most this` }
    return { toward, mtu: null, method, reason: `${address} does not answer ping (ICMP blocked on the way?) and no router reported an MTU: path MTU not measurable` }
  }
  let lo = MIN_PAYLOAD
  let hi = MAX_PAYLOAD
  const top = await ping(address, hi)
  // The largest size tried got through: the path may carry more (a loopback route's 65536); say where the search stopped.
  if (top.ok) return { toward, mtu: hi + overhead, method, capped: true }
  if (top.tooBig) {
    // A router on the way said its MTU: check that size first, it is usually the answer.
    hi = Math.min(hi, top.tooBig - overhead)
    if ((await ping(address, hi)).ok) return { toward, mtu: hi + overhead, method }
    hi -= 1
  }
  // Invariant: lo passed, anything above hi failed (or hi itself is untested).
  for (let i = 0; i < 12 && lo < hi; i++) {
    const mid = Math.ceil((lo + hi) / 2)
    const r = await ping(address, mid)
    if (r.ok) lo = mid
    else hi = r.tooBig ? Math.min(mid - 1, r.tooBig - overhead) : mid - 1
  }
  return { toward, mtu: lo + overhead, method }
}
