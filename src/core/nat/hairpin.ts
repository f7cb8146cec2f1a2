// Hairpinning: does the NAT loop a packet sent to our own public address back to us?
import type { NatEndpoint, NatTest } from '../../shared/nat'
import type { StunSocket } from '../stun/transaction'
import { buildBindingRequest } from '../werift/stunCodec'
import type { Wait } from './plan'
import type { Run } from './run'

/**
 * Sends a Binding request from a new socket to our own mapped address and watches for it on the
 * mapping socket. Arrival within the window (read once the socket is open) means the NAT hairpins.
 * Resent every max(RTO, window / 3).
 */
export async function hairpinTest(run: Run, A: StunSocket, mapped: NatEndpoint, window: Wait): Promise<NatTest> {
  run.progress({ kind: 'test-start', name: 'hairpin', target: mapped })
  const started = performance.now()
  let H: StunSocket
  try {
    H = await run.open()
  } catch (err) {
    const test: NatTest = { name: 'hairpin', target: mapped, result: 'error', mapped: null, from: null, ms: 0, attempts: 0, detail: String(err) }
    run.progress({ kind: 'test-done', test })
    return test
  }
  const request = buildBindingRequest()
  const windowMs = run.wait(window)
  let attempts = 0
  const test = await new Promise<NatTest>((resolve) => {
    let settled = false
    let retry: NodeJS.Timeout | undefined
    const done = (t: Omit<NatTest, 'name' | 'target' | 'mapped' | 'ms' | 'attempts'>) => {
      if (settled) return
      settled = true
      off()
      clearTimeout(retry)
      clearTimeout(giveUp)
      resolve({ name: 'hairpin', target: mapped, mapped: null, ms: Math.round(performance.now() - started), attempts, ...t })
    }
    const off = A.onRequest((message, from) => {
      if (message.txid === request.txid) done({ result: 'reply', from })
    })
    const send = () => {
      attempts++
      void H.sendRaw(request.bytes, mapped).then((err) => {
        if (err) done({ result: 'error', from: null, detail: err })
      })
      retry = setTimeout(send, Math.max(run.rto.rtoMs, windowMs / 3))
    }
    // Timers run before the poll phase: read what is already queued before calling it a timeout.
    const giveUp = setTimeout(() => setImmediate(() => done({ result: 'timeout', from: null })), windowMs)
    send()
  })
  run.progress({ kind: 'test-done', test })
  return test
}
