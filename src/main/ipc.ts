// The main-process boundary: every call from the renderer passes through handleCall, which checks
// the sender, the size, the method and the params before a handler sees anything. No Electron
// import here, so tests (and the e2e bridge) exercise exactly this path.
import { z } from 'zod'
import { MAX_MESSAGE_BYTES, type CallResult, type Method, type Params, type Results } from '../shared/ipc'
import { callSchemas } from './ipcSchemas'

export type Handlers = { [M in Method]: (params: Params<M>) => Promise<Results[M]> }

/** Where a call came from: the frame's URL and whether it is the window's main frame. */
export interface Sender {
  url: string
  mainFrame: boolean
}

const envelope = z.strictObject({ method: z.string().max(64), params: z.unknown().optional() })

/** The byte size of a call as JSON, or undefined when it is not plain data (cycles, BigInt...). */
export function messageSize(message: unknown): number | undefined {
  try {
    const text = JSON.stringify(message)
    return text === undefined ? undefined : Buffer.byteLength(text)
  } catch {
    return undefined
  }
}

function ownData(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function isMethod(name: string): name is Method {
  // Own properties only: "constructor" or "__proto__" must not resolve to anything.
  return Object.prototype.hasOwnProperty.call(callSchemas, name)
}

/**
 * Validates one call and runs its handler. Never throws: refusals and handler failures come back
 * as `{ ok: false, error }` with a one-line reason.
 */
export async function handleCall(handlers: Handlers, isTrusted: (sender: Sender) => boolean, sender: Sender, message: unknown): Promise<CallResult<unknown>> {
  if (!isTrusted(sender)) return { ok: false, error: `refused: call from an untrusted frame (${sender.url.slice(0, 100)})` }
  const size = messageSize(message)
  if (size === undefined) return { ok: false, error: 'refused: the call is not plain JSON data' }
  if (size > MAX_MESSAGE_BYTES) return { ok: false, error: `refused: the call is ${size} bytes, over the ${MAX_MESSAGE_BYTES} byte limit` }
  // Fields inherited from a prototype are not in the JSON that was measured, yet zod would read them.
  if (!ownData(message) || !ownData((message as { params?: unknown } | null)?.params)) return { ok: false, error: 'refused: the call is not plain JSON data' }
  const env = envelope.safeParse(message)
  if (!env.success) return { ok: false, error: 'refused: a call is { method, params }' }
  const { method, params } = env.data
  if (!isMethod(method)) return { ok: false, error: `refused: unknown method ${JSON.stringify(method)}` }
  const parsed = callSchemas[method].safeParse(params ?? {})
  if (!parsed.success) return { ok: false, error: `refused: bad params for ${method}: ${describeIssues(parsed.error)}` }
  try {
    const handler = handlers[method] as (p: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: oneLine(err) }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
}

export function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 500)
}
