// Issue 15, the server, against real processes: the memory attack (many rooms of small arrays from
// a few addresses) on `peerlens signal` with its defaults, the Host check of `peerlens host` and
// `peerlens signal --public-url`, `--trust-proxy`, and the connection cap per address.
// Needs `npm run build:cli`.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { call, errorOf } from './http'
import { startCli, type Running } from '../helpers/cli'

const json = { 'content-type': 'application/json' }

async function signal(args: string[]): Promise<{ cli: Running; port: number }> {
  const cli = startCli(['signal', '--listen', '127.0.0.1:0', '--quiet', ...args])
  const port = Number(/:(\d+)\/$/.exec(await cli.waitFor(/^listening: /))![1])
  return { cli, port }
}

async function stop(cli: Running): Promise<void> {
  cli.child.kill('SIGTERM')
  await cli.exit
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])
  return kb / 1024
}

/** A message body of many small arrays (`[[],[],...]`): tens of times its size once parsed. */
export function arraysBody(bytes: number): string {
  return `{"type":"x","data":[${Array(Math.floor((bytes - 40) / 3)).fill('[]').join(',')}]}`
}

describe('the memory attack on peerlens signal (defaults)', () => {
  it('stays under 256 MB resident: rooms capped per address (429), stored text capped server-wide (503)', async () => {
    const { cli, port } = await signal([])
    try {
      const pid = cli.child.pid!
      const body = arraysBody(60_000)
      const statuses = new Map<number, number>()
      const errors = new Set<string>()
      let peak = rssMiB(pid)
      const count = (status: number, text: string) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status >= 400) errors.add(`${status} ${errorOf(text)}`)
      }
      // Three addresses, each opening rooms until refused, then filling them 8 posts at a time.
      await Promise.all(
        ['127.0.0.21', '127.0.0.22', '127.0.0.23'].map(async (from) => {
          const rooms: string[] = []
          for (let i = 0; i < 105; i++) {
            const res = await call(port, 'POST', '/v1/rooms', { headers: json, localAddress: from })
            count(res.status, res.body)
            if (res.status === 201) rooms.push((JSON.parse(res.body) as { room: string; hostToken: string }).room + ' ' + (JSON.parse(res.body) as { hostToken: string }).hostToken)
          }
          for (let i = 0; i < 240; i += 8) {
            const answers = await Promise.all(
              Array.from({ length: 8 }, (_, k) => {
                const [room, token] = rooms[(i + k) % rooms.length]!.split(' ')
                return call(port, 'POST', `/v1/rooms/${room}/messages`, { body, headers: { ...json, authorization: `Bearer ${token}` }, localAddress: from })
              })
            )
            for (const a of answers) count(a.status, a.body)
            peak = Math.max(peak, rssMiB(pid))
          }
        })
      )
      expect(statuses.get(201)).toBe(300)
      expect(errors).toContain('429 too many rooms from your address (at most 100 at once)')
      expect([...errors].some((e) => e.startsWith('503 server full: too many undelivered messages'))).toBe(true)
      expect(peak).toBeLessThan(256)
      console.log(`memory attack: peak RSS ${Math.round(peak)} MiB; answers ${JSON.stringify(Object.fromEntries(statuses))}`)
      // Still serving.
      expect((await call(port, 'GET', '/v1/health', { localAddress: '127.0.0.24' })).status).toBe(200)
    } finally {
      await stop(cli)
    }
  })
})

describe('Host check (DNS rebinding)', () => {
  const health = (port: number, host: string) => call(port, 'GET', '/v1/health', { headers: { host } })

  it('peerlens host answers only to the addresses it advertises', async () => {
    const host = startCli(['host', '--offline', '--listen', '127.0.0.1:0', '--timeout', '20', '--no-nat'])
    try {
      const port = Number(new URL((await host.waitFor(/^invite: /)).slice('invite: '.length)).port)
      expect((await health(port, `127.0.0.1:${port}`)).status).toBe(200)
      expect((await health(port, `localhost:${port}`)).status).toBe(200)
      const rebound = await health(port, `rebind.example:${port}`)
      expect(rebound.status).toBe(421)
      expect(errorOf(rebound.body)).toMatch(/does not answer to Host "rebind.example:\d+"/)
      expect((await call(port, 'POST', '/v1/rooms', { headers: { ...json, host: 'rebind.example' } })).status).toBe(421)
    } finally {
      host.kill()
      await host.exit
    }
  })

  it('peerlens signal checks Host when given --public-url, and not without', async () => {
    const open = await signal([])
    const named = await signal(['--public-url', 'https://signal.example.org/peerlens/'])
    try {
      expect((await health(open.port, 'anything.example')).status).toBe(200)
      expect((await health(named.port, 'signal.example.org')).status).toBe(200)
      expect((await health(named.port, `127.0.0.1:${named.port}`)).status).toBe(200)
      expect((await health(named.port, 'rebind.example')).status).toBe(421)
    } finally {
      await Promise.all([stop(open.cli), stop(named.cli)])
    }
  })
})

describe('peerlens signal --trust-proxy', () => {
  async function burst(port: number, forwarded: (i: number) => string): Promise<number> {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call(port, 'GET', '/v1/health', { headers: { 'x-forwarded-for': forwarded(i) } })))
    return answers.filter((a) => a.status === 200).length
  }

  it("keys the rate limit on X-Forwarded-For's last hop; without the flag the header is ignored", async () => {
    const proxied = await signal(['--trust-proxy', '--rate-limit', '2'])
    const direct = await signal(['--rate-limit', '2'])
    try {
      // Each user behind the proxy has a bucket of its own (a burst of 8).
      expect(await burst(proxied.port, () => '203.0.113.1')).toBeLessThanOrEqual(8)
      expect(await burst(proxied.port, () => '10.9.9.9, 203.0.113.2')).toBeGreaterThanOrEqual(8)
      // What the client wrote before the last hop does not make a new bucket.
      expect(await burst(proxied.port, (i) => `192.0.2.${i}, 203.0.113.2`)).toBe(0)
      // Without the flag all of them are the socket's address, 127.0.0.1.
      expect(await burst(direct.port, () => '203.0.113.1')).toBeLessThanOrEqual(8)
      expect(await burst(direct.port, () => '203.0.113.2')).toBeLessThan(5)
    } finally {
      await Promise.all([stop(proxied.cli), stop(direct.cli)])
    }
  })
})

describe('connections per address', () => {
  function idle(port: number, from: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1', localAddress: from })
      s.on('connect', () => resolve(s))
      s.on('error', reject)
    })
  }

  it('counts sockets that have sent nothing yet: past 100 from one address, 429; other addresses are served', async () => {
    const { cli, port } = await signal([])
    const sockets: Socket[] = []
    try {
      for (let i = 0; i < 100; i++) sockets.push(await idle(port, '127.0.0.31'))
      await new Promise((r) => setTimeout(r, 200))
      const refused = await call(port, 'GET', '/v1/health', { localAddress: '127.0.0.31' })
      expect(refused.status).toBe(429)
      expect(errorOf(refused.body)).toBe('too many connections from your address')
      expect((await call(port, 'GET', '/v1/health', { localAddress: '127.0.0.32' })).status).toBe(200)
      for (const s of sockets.splice(0, 10)) s.destroy()
      await new Promise((r) => setTimeout(r, 200))
      expect((await call(port, 'GET', '/v1/health', { localAddress: '127.0.0.31' })).status).toBe(200)
    } finally {
      for (const s of sockets) s.destroy()
      await stop(cli)
    }
  })
})
