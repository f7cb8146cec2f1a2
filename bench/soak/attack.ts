// The memory attack of issue 15: a few addresses open as many rooms as the server lets them and
// fill them with messages of many small arrays (`[[],[],...]`, 60 KB: tens of times that once
// parsed), as fast as the server answers. The server must stay bounded, refusing with 429/503.
import { readFileSync } from 'node:fs'
import { call } from '../../test/reliability/http'

export interface AttackResult {
  ms: number
  peakRssMiB: number
  statuses: Record<string, number>
}

function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
  } catch {
    return 0
  }
}

export async function memoryAttack(port: number, pid: number, options: { addresses: number; seconds: number; inFlight: number }): Promise<AttackResult> {
  const started = performance.now()
  const body = `{"type":"x","data":[${Array(20_000).fill('[]').join(',')}]}`
  const statuses: Record<string, number> = {}
  const count = (s: number) => (statuses[s] = (statuses[s] ?? 0) + 1)
  let peak = rssMiB(pid)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100)
  const until = Date.now() + options.seconds * 1000
  try {
    await Promise.all(
      Array.from({ length: options.addresses }, async (_, a) => {
        const from = `127.0.1.${a + 1}`
        const rooms: Array<{ room: string; hostToken: string }> = []
        for (let i = 0; i < 120 && Date.now() < until; i++) {
          const res = await call(port, 'POST', '/v1/rooms', { headers: { 'content-type': 'application/json' }, localAddress: from }).catch(() => undefined)
          count(res?.status ?? 0)
          if (res?.status === 201) rooms.push(JSON.parse(res.body) as { room: string; hostToken: string })
        }
        if (!rooms.length) return
        let next = 0
        await Promise.all(
          Array.from({ length: options.inFlight }, async () => {
            while (Date.now() < until) {
              const r = rooms[next++ % rooms.length]!
              const headers = { 'content-type': 'application/json', authorization: `Bearer ${r.hostToken}` }
              const res = await call(port, 'POST', `/v1/rooms/${r.room}/messages`, { body, headers, localAddress: from }).catch(() => undefined)
              count(res?.status ?? 0)
              // Refused for the rate: a real attacker would not wait, but a loop of instant 429s only burns the client's CPU.
              if (res?.status === 429) await new Promise((resolve) => setTimeout(resolve, 20))
            }
          })
        )
      })
    )
  } finally {
    clearInterval(sampler)
  }
  peak = Math.max(peak, rssMiB(pid))
  return { ms: performance.now() - started, peakRssMiB: peak, statuses }
}
