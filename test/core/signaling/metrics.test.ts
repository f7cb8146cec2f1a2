import { afterEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCli, type Running } from '../../helpers/cli'
import { freePort } from '../../helpers/redis'

// `peerlens signal --metrics-listen`: a real process, its /metrics checked by Debian's promtool and
// scraped by a real Prometheus server.

const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0
const HAVE_PROMETHEUS = spawnSync('prometheus', ['--version']).status === 0
if (!HAVE_PROMTOOL) console.warn('promtool is not installed (apt-get install prometheus): the metrics lint is skipped')

const running: Running[] = []
const cleanup: Array<() => void> = []
afterEach(() => {
  for (const r of running.splice(0)) r.kill()
  for (const c of cleanup.splice(0)) c()
})

async function signal(): Promise<{ base: string; metrics: string }> {
  const run = startCli(['signal', '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--quiet', '--rate-limit', '2'])
  running.push(run)
  const metrics = (await run.waitFor(/^metrics: /)).slice('metrics: '.length)
  const base = (await run.waitFor(/^listening: /)).slice('listening: '.length)
  return { base, metrics }
}

async function traffic(base: string): Promise<void> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body)
    })
  const room = (await (await post('/v1/rooms', {})).json()) as { room: string; secret: string; hostToken: string }
  await post(`/v1/rooms/${room.room}/peers`, { secret: room.secret })
  await post(`/v1/rooms/${room.room}/messages`, { type: 'offer', data: { sdp: 'v=0' } }, room.hostToken)
  await post(`/v1/rooms/${room.room}/peers`, { secret: 'wrong' })
  // Past the rate limit (2/s, burst 8): refusals by reason.
  await Promise.all(Array.from({ length: 12 }, () => fetch(new URL('/v1/health', base))))
}

describe('peerlens signal --metrics-listen', () => {
  it('serves rooms, peers, messages, long polls, refusals by reason and stored bytes at GET /metrics', async () => {
    const { base, metrics } = await signal()
    await traffic(base)
    const res = await fetch(metrics)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    expect(text).toMatch(/^peerlens_signal_rooms 1$/m)
    expect(text).toMatch(/^peerlens_signal_peers 2$/m)
    expect(text).toMatch(/^peerlens_signal_stored_messages 1$/m)
    expect(text).toMatch(/^peerlens_signal_stored_bytes \d{3}$/m)
    expect(text).toMatch(/^peerlens_signal_messages_total 1$/m)
    expect(text).toMatch(/^peerlens_signal_long_polls 0$/m)
    expect(text).toMatch(/^peerlens_signal_rejections_total\{reason="forbidden"\} 1$/m)
    expect(text).toMatch(/^peerlens_signal_rejections_total\{reason="rate_limited"\} [1-9]\d*$/m)
    expect((await fetch(new URL('/other', metrics))).status).toBe(404)
  })

  it.skipIf(!HAVE_PROMTOOL)('passes promtool check metrics', async () => {
    const { base, metrics } = await signal()
    await traffic(base)
    const text = await (await fetch(metrics)).text()
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(lint.status, lint.stdout + lint.stderr).toBe(0)
    expect((lint.stdout + lint.stderr).trim()).toBe('')
  })

  it.skipIf(!HAVE_PROMETHEUS)('is scraped by a real Prometheus server', async () => {
    const { base, metrics } = await signal()
    await traffic(base)
    const dir = mkdtempSync(join(tmpdir(), 'peerlens-prom-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const target = new URL(metrics).host
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: peerlens-signal\n    static_configs:\n      - targets: ['${target}']\n`)
    const port = await freePort()
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' })
    cleanup.push(() => prom.kill('SIGKILL'))
    let value: string | undefined
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && value === undefined; ) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      try {
        const answer = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=peerlens_signal_rooms`)).json()) as { data?: { result?: Array<{ value: [number, string] }> } }
        value = answer.data?.result?.[0]?.value[1]
      } catch {
        // not up yet
      }
    }
    expect(value).toBe('1')
  }, 45_000)
})
