import type { IncomingMessage } from 'node:http'
import { SignalError } from './errors'
import { MAX_BODY_BYTES } from '../../shared/signaling'

const MAX_JSON_DEPTH = 32

/**
 * Bytes of request bodies being received, server-wide. Bodies are held whole until they are
 * parsed, so many slow uploads at once could otherwise hold up to MAX_BODY_BYTES each.
 */
export class BodyBudget {
  used = 0
  constructor(readonly max: number) {}
}

export interface JsonBody {
  value: unknown
  /** The body as received, for storing parts of it verbatim (see rawJson.ts). */
  text: string
  bytes: number
}

/**
 * Reads a JSON request body: 413 past the limit, 415 when not JSON (an empty body too: a web page
 * can send a form post without CORS, but not an application/json one), 400 when malformed, 503
 * when the server is already receiving its budget of bodies.
 */
export async function readJsonBody(req: IncomingMessage, { optional = false, budget }: { optional?: boolean; budget?: BodyBudget } = {}): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > MAX_BODY_BYTES) throw new SignalError(413, `body over ${MAX_BODY_BYTES} bytes`)
  const chunks: Buffer[] = []
  let bytes = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > MAX_BODY_BYTES) throw new SignalError(413, `body over ${MAX_BODY_BYTES} bytes`)
      if (budget) {
        budget.used += chunk.length
        if (budget.used > budget.max) throw new SignalError(503, 'server busy: too many uploads at once; try again shortly', { 'retry-after': '2' })
      }
      chunks.push(chunk)
    }
  } finally {
    if (budget) budget.used -= bytes
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json') throw new SignalError(415, 'content type must be application/json')
  if (bytes === 0 && optional) return { value: undefined, text: '', bytes }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new SignalError(400, 'body is not valid UTF-8')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new SignalError(400, 'malformed JSON')
  }
  if (depth(value) > MAX_JSON_DEPTH) throw new SignalError(400, `JSON nested deeper than ${MAX_JSON_DEPTH}`)
  return { value, text, bytes }
}

/** Nesting depth, counted without recursion so hostile input cannot overflow the stack. */
export function depth(value: unknown): number {
  let max = 0
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (d > max) max = d
    if (d > MAX_JSON_DEPTH) return d
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return max
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
