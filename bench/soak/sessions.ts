// The sessions soak's worker: runs host/join sessions on loopback one after another in this one
// process (run with --expose-gc), as an agent or the desktop app's main process does, and reports
// its heap after a full GC over IPC. argv: sessions, checkpoint every N, sessions at once, [snapshot
// dir]. Between checkpoints `concurrency` sessions run at a time; at a checkpoint none is running.
import { writeHeapSnapshot } from 'node:v8'
import { join } from 'node:path'
import { runHost } from '../../src/core/run/host'
import { runJoin } from '../../src/core/run/join'

const total = Number(process.argv[2] ?? 100)
const every = Number(process.argv[3] ?? 10)
const concurrency = Number(process.argv[4] ?? 1)
const snapshots = process.argv[5]
const gc = (globalThis as { gc?: () => void }).gc

function heapMiB(): number {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}

async function session(): Promise<string> {
  let invite: string | undefined
  let resolveInvite: (url: string) => void = () => {}
  const gotInvite = new Promise<string>((resolve) => (resolveInvite = resolve))
  const host = runHost({
    mode: { kind: 'embedded', host: '127.0.0.1', port: 0 },
    ice: { stun: [], turn: [] },
    nat: false,
    throughputBytes: 64 * 1024,
    timeoutMs: 30_000,
    emit: (e) => {
      if (e.kind === 'invite') resolveInvite((invite = e.url))
    }
  })
  await Promise.race([gotInvite, host])
  if (!invite) throw new Error('the host gave no invite')
  const joined = await runJoin({ target: invite, name: 'join', ice: { stun: [], turn: [] }, nat: false, timeoutMs: 30_000, emit: () => {} })
  const hosted = await host
  return `${hosted.report.connection.verdict ?? 'none'}/${joined.report.connection.verdict ?? 'none'}`
}

const started = Date.now()
const verdicts = new Map<string, number>()
for (let i = 0; i < total; ) {
  const batch = Math.min(every, total - i)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, batch) }, async () => {
      while (next < batch) {
        next++
        const v = await session().catch((err: Error) => `error: ${err.message}`)
        verdicts.set(v, (verdicts.get(v) ?? 0) + 1)
      }
    })
  )
  i += batch
  {
    const heap = heapMiB()
    if (snapshots && (i === every * 2 || i === total || process.env.SNAPSHOT_AT?.split(',').includes(String(i)))) writeHeapSnapshot(join(snapshots, `after-${i}.heapsnapshot`))
    process.send?.({ verdicts: Object.fromEntries(verdicts), sessions: i, heapMiB: heap, rssMiB: process.memoryUsage().rss / 2 ** 20, ms: Date.now() - started, handles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length })
    if (!process.send) console.log(`${i} sessions: heap ${heap.toFixed(2)} MiB, ${Date.now() - started} ms, ${[...verdicts].map(([k, n]) => `${n} ${k}`).join(', ')}`)
  }
}
process.send?.({ done: true })
process.exit(0)
