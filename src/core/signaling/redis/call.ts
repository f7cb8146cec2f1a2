// How the Redis stores talk to Redis: one command, or one Lua script by its SHA (loaded on first use).
import { createHash } from 'node:crypto'
import { SignalError } from '../errors'
import { RedisReplyError, type RedisClient, type Reply } from './resp'
import type { Wakes } from './wakes'

/** One command; Redis unreachable is a 503 the client retries (an error reply stays one: a 500). */
export async function storeCall(client: RedisClient, args: Array<string | number>): Promise<Reply> {
  try {
    return await client.command(args)
  } catch (err) {
    if (err instanceof RedisReplyError) throw err
    throw unavailable(err as Error)
  }
}

/** Redis cannot be reached: a 503 with a hint to retry. */
export function unavailable(err: Error): SignalError {
  return new SignalError(503, `storage unavailable: ${err.message}; try again later`, { 'retry-after': '2' })
}

/** Runs a script by its SHA, sending the script itself only when Redis does not know it yet. */
export async function runScript(client: RedisClient, script: string, argv: Array<string | number>): Promise<Reply[]> {
  const sha = shaOf(script)
  try {
    return (await storeCall(client, ['EVALSHA', sha, 0, ...argv])) as Reply[]
  } catch (err) {
    if (!(err instanceof RedisReplyError && err.message.startsWith('NOSCRIPT'))) throw err
    return (await storeCall(client, ['EVAL', script, 0, ...argv])) as Reply[]
  }
}

const shas = new Map<string, string>()
function shaOf(script: string): string {
  let sha = shas.get(script)
  if (!sha) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')))
  return sha
}

/**
 * A long poll on Redis: subscribe to the wake channel, read again (a message posted in between
 * would not wake us; `readWaiting` also marks the poll as waiting), then wait for a wake, the time
 * limit or an abort, and read once more.
 */
export async function longPoll<T>(wakes: Wakes, channel: string, waitMs: number, signal: AbortSignal | undefined, readWaiting: () => Promise<T[]>, readAgain: () => Promise<T[]>): Promise<T[]> {
  let wake = (): void => {}
  const woken = new Promise<void>((resolve) => (wake = resolve))
  const release = await wakes.listen(channel, wake).catch((err: Error) => {
    throw unavailable(err)
  })
  try {
    const found = await readWaiting()
    if (found.length) return found
    let timer: NodeJS.Timeout | undefined
    const onAbort = (): void => wake()
    signal?.addEventListener('abort', onAbort)
    await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))])
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    return await readAgain()
  } finally {
    release()
  }
}
