import { describe, expect, it } from 'vitest'
import { queueOf, SignalQueue } from '../../../src/core/peer/signalQueue'
import type { SignalMessage } from '../../../src/shared/signaling'

/** A few turns of the event loop, until `done` holds (bounded). */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setImmediate(r))
}

const msg = (type: string, n = 0): SignalMessage => ({ type, data: { n } }) as SignalMessage

describe('SignalQueue', () => {
  it.each([
    ['hello', 0],
    ['nat', 0],
    ['bye', 0],
    ['offer', 1],
    ['answer', 1],
    ['candidate', 1],
    ['relay-offer', 2],
    ['relay-answer', 2],
    ['relay-candidate', 2],
    ['something-new', 0]
  ])('%s goes to queue %s', (type, queue) => {
    expect(queueOf(type)).toBe(queue)
  })

  it("keeps each attempt's order, and never holds the relay attempt behind the first one's slow offer", async () => {
    const handled: string[] = []
    let releaseOffer!: () => void
    const offerHeld = new Promise<void>((r) => (releaseOffer = r))
    let relayDone!: () => void
    const relayHandled = new Promise<void>((r) => (relayDone = r))
    const q = new SignalQueue(
      async (m) => {
        if (m.type === 'offer') await offerHeld
        handled.push(m.type)
        if (m.type === 'relay-candidate') relayDone()
      },
      () => {}
    )
    for (const t of ['hello', 'offer', 'candidate', 'relay-offer', 'relay-candidate']) q.push(msg(t))
    await relayHandled
    // The first attempt's offer is still being answered (werift gathering): its candidate waits, the relay attempt does not.
    expect(handled).toEqual(['hello', 'relay-offer', 'relay-candidate'])
    releaseOffer()
    await settle(() => handled.length === 5)
    expect(handled.slice(3)).toEqual(['offer', 'candidate'])
  })

  it("holds an attempt's messages behind the session's messages before them, and reports a failed message", async () => {
    const handled: string[] = []
    let releaseHello!: () => void
    const helloHeld = new Promise<void>((r) => (releaseHello = r))
    const failures: string[] = []
    const q = new SignalQueue(
      async (m) => {
        if (m.type === 'hello') await helloHeld
        if (m.type === 'answer') throw new Error('bad sdp')
        handled.push(m.type)
      },
      (m, err) => failures.push(`${m.type}: ${err.message}`)
    )
    for (const t of ['hello', 'answer', 'candidate', 'relay-answer']) q.push(msg(t))
    await new Promise((r) => setTimeout(r, 0))
    expect(handled).toEqual([])
    releaseHello()
    await settle(() => handled.length === 3)
    expect(handled.sort()).toEqual(['candidate', 'hello', 'relay-answer'])
    expect(failures).toEqual(['answer: bad sdp'])
  })
})
