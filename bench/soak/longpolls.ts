// Long polls held at once: `count` rooms, each joiner waiting in a 25 s poll on one of `bases`
// (round robin), then one message posted into every room through another instance; counts what
// arrived. One socket per request (agent: false), as that many separate clients would hold.
import { request } from 'node:http'

interface Answer {
  status: number
  body: string
}

function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {}
    if (method === 'POST') headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    const req = request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      res.on('error', reject)
    })
    req.setTimeout(60_000, () => req.destroy(new Error('no answer')))
    req.on('error', reject)
    req.end(method === 'POST' ? JSON.stringify(body ?? {}) : undefined)
  })
}

async function inBatches<T>(n: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < n; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => make(i + k)))))
  return out
}

export interface HeldPolls {
  held: number
  delivered: number
  lost: number
  /** From the first post to the last poll answered. */
  deliverMs: number
}

/** Opens `count` long polls over `bases`, waits until `holding()` reports them all, then delivers one message to each. */
export async function holdPolls(bases: string[], count: number, holding: () => Promise<number>): Promise<HeldPolls> {
  const rooms = await inBatches(count, 50, async (i) => {
    const base = bases[i % bases.length]!
    const created = JSON.parse((await call(base, 'POST', '/v1/rooms')).body) as { room: string; secret: string; hostToken: string }
    const joined = JSON.parse((await call(base, 'POST', `/v1/rooms/${created.room}/peers`, { secret: created.secret })).body) as { token: string }
    // A joiner that says nothing for 5 s loses its place (docs/signaling.md): say hello.
    await call(base, 'POST', `/v1/rooms/${created.room}/messages`, { type: 'hello', data: null }, joined.token)
    return { ...created, join: joined.token, base }
  })
  const polls = rooms.map((r) => call(r.base, 'GET', `/v1/rooms/${r.room}/messages?after=0&wait=25`, undefined, r.join).catch(() => ({ status: 0, body: '' })))
  let held = 0
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    held = await holding()
    if (held >= count) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const started = Date.now()
  await inBatches(count, 100, (i) => {
    const r = rooms[i]!
    const other = bases[(i + 1) % bases.length]!
    return call(other, 'POST', `/v1/rooms/${r.room}/messages`, { type: 'ping', data: { i } }, r.hostToken)
  })
  const answers = await Promise.all(polls)
  const deliverMs = Date.now() - started
  let delivered = 0
  answers.forEach((a, i) => {
    if (a.status !== 200) return
    const got = JSON.parse(a.body) as { messages: Array<{ data: { i: number } }> }
    if (got.messages.length === 1 && got.messages[0]!.data.i === i) delivered++
  })
  return { held, delivered, lost: count - delivered, deliverMs }
}
