// Optional export of the merged timeline to Grafana Loki's push API, for teams that collect logs
// there: POST {url}/loki/api/v1/push, JSON body {"streams":[{"stream":{labels},"values":[["<ns>","line"]]}]},
// tenant in X-Scope-OrgID. One stream per side (labels app, role, room); each line is the event as
// JSON with a readable "msg", so `| json` in LogQL gives its fields.
import type { Report } from '../../shared/report'
import { stripCredentials } from './credentials'
import { eventText } from '../../shared/format'

export interface LokiOptions {
  /** Loki's base URL (http://loki:3100) or the full push URL. */
  url: string
  /** Sent as X-Scope-OrgID (multi-tenant Loki, Grafana Cloud). */
  tenant?: string
  /** The room label; default: the report's room, else "none". */
  room?: string
  timeoutMs?: number
  fetch?: typeof fetch
}

export interface LokiPush {
  streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>
}

export class LokiError extends Error {
  override name = 'LokiError'
}

export function lokiPushUrl(url: string): string {
  const u = new URL(url)
  if (!/\/loki\/api\/v1\/push\/?$/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/+$/, '')}/loki/api/v1/push`
  return u.toString()
}

/** The push body for a report's timeline (pure). */
export function lokiPayload(input: Report, room?: string): LokiPush {
  const report = stripCredentials(input)
  const streams: LokiPush['streams'] = []
  for (const role of ['host', 'join'] as const) {
    const values = report.timeline
      .filter((e) => e.role === role)
      .map((e): [string, string] => [(BigInt(Math.round(e.unixMs)) * 1_000_000n).toString(), JSON.stringify({ msg: eventText(e.event), ...e.event })])
    if (values.length) streams.push({ stream: { app: report.app.name, role, room: room ?? report.room ?? 'none' }, values })
  }
  return { streams }
}

/** Pushes the timeline; resolves with the number of lines sent, or throws a one-line LokiError. */
export async function pushToLoki(report: Report, options: LokiOptions): Promise<{ lines: number; status: number }> {
  let url: string
  try {
    url = lokiPushUrl(options.url)
  } catch {
    throw new LokiError(`not a URL: ${JSON.stringify(options.url)}`)
  }
  const body = lokiPayload(report, options.room)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.tenant) headers['X-Scope-OrgID'] = options.tenant
  let response: Response
  try {
    response = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) })
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } }
    throw new LokiError(`cannot reach Loki at ${url}: ${e.cause?.message ?? e.message}`)
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).trim().split('\n')[0]?.slice(0, 200)
    throw new LokiError(`Loki answered ${response.status}${text ? `: ${text}` : ''}`)
  }
  return { lines: body.streams.reduce((n, s) => n + s.values.length, 0), status: response.status }
}
