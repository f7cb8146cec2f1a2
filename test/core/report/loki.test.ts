import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixtureReport } from './fixture'
import { lokiPayload, lokiPushUrl, pushToLoki, LokiError } from '../../../src/core/report/loki'

interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

const servers: Server[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

/** A Loki stand-in on loopback that records each request and answers with `status`. */
async function receiver(status = 204, answer = ''): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (d: string) => (body += d))
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      res.writeHead(status, answer ? { 'content-type': 'text/plain' } : {}).end(answer)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
}

/** The documented push format: {"streams":[{"stream":{labels},"values":[["<ns>","line"]]}]}. */
function checkPushFormat(r: Received): { streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> } {
  expect(r.method).toBe('POST')
  expect(r.url).toBe('/loki/api/v1/push')
  expect(r.headers['content-type']).toBe('application/json')
  const body = JSON.parse(r.body)
  expect(Object.keys(body)).toEqual(['streams'])
  for (const s of body.streams) {
    expect(Object.keys(s).sort()).toEqual(['stream', 'values'])
    for (const v of Object.values(s.stream)) expect(typeof v).toBe('string')
    for (const value of s.values) {
      expect(value).toHaveLength(2)
      expect(value[0]).toMatch(/^\d{19}$/)
      expect(typeof value[1]).toBe('string')
    }
  }
  return body
}

describe('pushToLoki', () => {
  it('pushes the timeline as one stream per side with the tenant header', async () => {
    const loki = await receiver()
    const report = fixtureReport()
    const result = await pushToLoki(report, { url: loki.url, tenant: 'netops' })
    expect(result).toEqual({ lines: report.timeline.length, status: 204 })
    expect(loki.received).toHaveLength(1)
    const r = loki.received[0]!
    expect(r.headers['x-scope-orgid']).toBe('netops')
    const body = checkPushFormat(r)
    expect(body.streams.map((s) => s.stream)).toEqual([
      { app: 'peerlens', role: 'host', room: 'kUVrPBRwdTIr' },
      { app: 'peerlens', role: 'join', room: 'kUVrPBRwdTIr' }
    ])
    const first = report.timeline.find((e) => e.role === 'host')!
    expect(body.streams[0]!.values[0]![0]).toBe(`${first.unixMs}000000`)
    const line = JSON.parse(body.streams[0]!.values[0]![1])
    expect(line).toMatchObject({ msg: 'phase signaling', kind: 'phase', phase: 'signaling' })
  })

  it('accepts the full push URL, and a room label from the caller; no tenant, no header', async () => {
    const loki = await receiver()
    await pushToLoki(fixtureReport(), { url: `${loki.url}/loki/api/v1/push`, room: 'lab-7' })
    const r = loki.received[0]!
    expect(r.headers['x-scope-orgid']).toBeUndefined()
    expect(checkPushFormat(r).streams[0]!.stream.room).toBe('lab-7')
  })

  it('says in one line what went wrong', async () => {
    const loki = await receiver(400, 'entry out of order\nmore')
    await expect(pushToLoki(fixtureReport(), { url: loki.url })).rejects.toThrow(new LokiError('Loki answered 400: entry out of order'))
    const closed = await receiver()
    const port = new URL(closed.url).port
    servers.pop()!.close()
    await expect(pushToLoki(fixtureReport(), { url: `http://127.0.0.1:${port}` })).rejects.toThrow(/^cannot reach Loki at http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/push: /)
    await expect(pushToLoki(fixtureReport(), { url: 'not a url' })).rejects.toThrow(/not a URL/)
  })

  it('builds URLs and payloads without a server', () => {
    expect(lokiPushUrl('http://loki:3100')).toBe('http://loki:3100/loki/api/v1/push')
    expect(lokiPushUrl('https://logs.example.com/prefix/')).toBe('https://logs.example.com/prefix/loki/api/v1/push')
    const r = fixtureReport()
    delete r.room
    expect(lokiPayload(r).streams[0]!.stream.room).toBe('none')
  })
})
