// Flips to Grafana Loki (`peerlens agent --loki URL`): one line per flip, labels app, kind, group, agent.
import { LokiError, lokiPushUrl } from '../report/loki'
import type { Flip } from '../../shared/mesh/flips'

export interface AgentLoki {
  url: string
  tenant?: string
}

export function flipPayload(flip: Flip, group: string, nowMs = Date.parse(flip.at)): { streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> } {
  return {
    streams: [
      {
        stream: { app: 'peerlens', kind: 'flip', group, agent: flip.self },
        values: [[(BigInt(Math.round(nowMs)) * 1_000_000n).toString(), JSON.stringify({ msg: flip.text, ...flip })]]
      }
    ]
  }
}

export async function pushFlip(flip: Flip, group: string, o: AgentLoki): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (o.tenant) headers['X-Scope-OrgID'] = o.tenant
  let res: Response
  try {
    res = await fetch(lokiPushUrl(o.url), { method: 'POST', headers, body: JSON.stringify(flipPayload(flip, group)), signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } }
    throw new LokiError(`cannot reach Loki at ${o.url}: ${e.cause?.message ?? e.message}`)
  }
  if (!res.ok) throw new LokiError(`Loki answered ${res.status}`)
}
