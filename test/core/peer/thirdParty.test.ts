// A peerlens host against peers that are not peerlens: a raw werift peer connection stands in for
// another WebRTC stack and sends what pion and browsers send (docs/signaling.md, "Third-party peers").
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { RTCPeerConnection } from 'werift'
import { SignalingServer } from '../../../src/core/signaling/server'
import { localHostChannel } from '../../../src/core/signaling/local'
import { httpChannel, joinRoom } from '../../../src/core/signaling/client'
import { PeerSession } from '../../../src/core/peer/orchestrator'
import { installWeriftPatches } from '../../../src/core/werift/patches'
import { StunResponder } from '../../../src/core/stun/responder'
import type { SignalMessage } from '../../../src/shared/signaling'
import type { SessionEvent } from '../../../src/shared/session'
import { findings } from '../../../src/shared/diagnosis/findings'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface PeerStyle {
  /** What the candidate messages carry besides the line (pion: sdpMid "", sdpMLineIndex 0). */
  target?: Record<string, unknown>
  /** Put every candidate in the answer and trickle none. */
  noTrickle?: boolean
  /** Candidate lines trickled before the peer's own (e.g. a browser's mDNS host candidate). */
  first?: string[]
  /** Trickle only these (and no candidate of its own); the answer then carries none. */
  only?: string[]
}

/** A host session and a foreign joiner on loopback; the host's result. */
async function session(style: PeerStyle, timeoutMs = 15_000) {
  installWeriftPatches()
  const server = new SignalingServer()
  const { port } = await server.listen(0)
  const stun = new StunResponder()
  await stun.listen(port, '127.0.0.1')
  cleanups.push(() => server.close(), () => stun.close())
  const { created, channel } = localHostChannel(server.rooms)
  const joined = await joinRoom(`http://127.0.0.1:${port}/`, created.room, created.secret)
  const peer = httpChannel(`http://127.0.0.1:${port}/`, created.room, joined.peerId, joined.token, { waitSeconds: 1 })
  cleanups.push(() => peer.close())
  const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ['127.0.0.1'] })
  cleanups.push(() => pc.close())
  const send = (line: string) => peer.send('candidate', { candidate: line, ...(style.target ?? { sdpMid: '', sdpMLineIndex: 0 }) })
  let answered = false
  const early: string[] = []
  pc.onIceCandidate.subscribe((c) => {
    if (style.noTrickle || style.only || !c) return
    if (answered) void send(c.candidate)
    else early.push(c.candidate)
  })
  pc.onDataChannel.subscribe((dc) => {
    dc.onMessage.subscribe((data) => {
      const m = JSON.parse(String(data)) as { t: string; id?: number; ts?: number }
      if (m.t === 'ping') dc.send(JSON.stringify({ t: 'pong', id: m.id, ts: m.ts, rts: Date.now() }))
      if (m.t === 'done') dc.send(JSON.stringify({ t: 'done' }))
    })
  })
  const onMessage = async (m: SignalMessage): Promise<void> => {
    const data = m.data as Record<string, unknown> | null
    if (m.type === 'offer') {
      // A peer that only trickles a refused set must not learn the host's candidates either (no prflx).
      const offer = style.only ? String(data?.sdp).split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n') : String(data?.sdp)
      await pc.setRemoteDescription({ type: 'offer', sdp: offer })
      await pc.setLocalDescription(await pc.createAnswer())
      if (style.noTrickle) while (pc.iceGatheringState !== 'complete') await new Promise((r) => setTimeout(r, 20))
      let sdp = pc.localDescription!.sdp
      if (!style.noTrickle) sdp = sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n')
      await peer.send('answer', { type: 'answer', sdp })
      answered = true
      for (const line of [...(style.first ?? []), ...(style.only ?? early)]) await send(line)
      if (!style.noTrickle) await peer.send('candidate', null)
    }
    if (m.type === 'candidate' && data && pc.remoteDescription && !style.only) await pc.addIceCandidate({ candidate: String(data.candidate), sdpMLineIndex: 0 }).catch(() => {})
  }
  let chain = Promise.resolve()
  peer.start((m) => (chain = chain.then(() => onMessage(m)).catch(() => {})))
  const host = new PeerSession({ role: 'host', channel, ice: { stun: [`stun:127.0.0.1:${port}`], turn: [], additionalHostAddresses: ['127.0.0.1'] }, timeoutMs, probes: 3 })
  const run = host.run()
  // A bare hello: a name, nothing else.
  await peer.send('hello', { name: 'foreign' })
  const result = await run
  await host.close()
  return result
}

const errors = (events: SessionEvent[]) => events.filter((e) => e.kind === 'error').map((e) => (e as { message: string }).message)
const at = (events: SessionEvent[], kind: string) => events.find((e) => e.kind === kind)?.atMs

describe('a peerlens host against other WebRTC stacks', () => {
  beforeAll(() => installWeriftPatches())

  it('takes candidates with an empty sdpMid (as pion sends them) from a peer with a bare hello', { timeout: 30_000 }, async () => {
    const r = await session({ target: { sdpMid: '', sdpMLineIndex: 0 } })
    expect(r.verdict, r.reason).toBe('direct')
    expect(errors(r.events).filter((m) => /refused/.test(m))).toEqual([])
    expect(r.remoteCandidates.length).toBeGreaterThan(0)
    expect(r.remoteCandidates.every((c) => !c.refused)).toBe(true)
    expect(r.peer).toMatchObject({ name: 'foreign', version: 'unknown', features: [] })
  })

  it('takes candidates with an unknown sdpMid, or none and no index at all', { timeout: 30_000 }, async () => {
    for (const target of [{ sdpMid: 'video7', sdpMLineIndex: 0 }, {}]) {
      const r = await session({ target })
      expect(r.verdict, `${JSON.stringify(target)}: ${r.reason}`).toBe('direct')
      expect(errors(r.events).filter((m) => /refused/.test(m))).toEqual([])
    }
  })

  it('connects to a peer that puts every candidate in its answer and trickles none', { timeout: 30_000 }, async () => {
    const r = await session({ noTrickle: true })
    expect(r.verdict, r.reason).toBe('direct')
    // The description's candidates are recorded as the other side's.
    expect(r.remoteCandidates.filter((c) => c.type === 'host').length).toBeGreaterThan(0)
  })

  it('does not let an mDNS (.local) candidate delay the candidates after it, and says the address was hidden', { timeout: 30_000 }, async () => {
    const mdns = 'candidate:9 1 udp 2122260223 3f1c0a0e-5a8b-4c1e-9f0e-1b2c3d4e5f60.local 50999 typ host generation 0'
    const r = await session({ first: [mdns] })
    expect(r.verdict, r.reason).toBe('direct')
    const firstRemote = r.events.find((e) => e.kind === 'remote-candidate')!.atMs
    // Connected long before werift's own 10 s mDNS wait would have let the next candidate through.
    expect(at(r.events, 'channel-open')! - firstRemote).toBeLessThan(5_000)
    expect(errors(r.events)).toEqual([])
    // Nobody answers mDNS here: skipped after a short wait (2 s), with a note, never an error.
    const hidden = r.remoteCandidates.find((c) => c.address.endsWith('.local'))
    await expect.poll(() => hidden?.refused, { timeout: 4_000 }).toMatch(/mDNS name not resolved within 2 s/)
    const side = { role: 'host', name: 'h', missing: false, app: { version: '0' }, events: r.events, candidates: { local: r.localCandidates, remote: r.remoteCandidates } }
    const texts = findings({ sides: [side], connection: { verdict: 'direct', reason: '' } } as never)
    expect(texts).toContainEqual({ level: 'info', text: expect.stringMatching(/hid its host address behind an mDNS name, 3f1c.*\.local, which did not resolve here/) })
    expect(texts.filter((f) => f.level === 'bad')).toEqual([])
  })

  it('makes refused candidates part of the failure reason and a finding, never a silent "every pair failed"', { timeout: 30_000 }, async () => {
    // Candidates of another ICE generation (a stale username fragment): werift refuses them.
    const lines = ['candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host', 'candidate:2 1 udp 2122260223 127.0.0.1 50002 typ host']
    const r = await session({ only: lines, target: { sdpMLineIndex: 0, usernameFragment: 'stale' } }, 6_000)
    expect(r.verdict).toBe('failed')
    expect(r.reason).toMatch(/the other side's 2 candidates were refused: .*usernameFragment/)
    expect(r.remoteCandidates.every((c) => c.refused)).toBe(true)
    const side = { role: 'host', name: 'h', missing: false, app: { version: '0' }, events: r.events, candidates: { local: r.localCandidates, remote: r.remoteCandidates } }
    const texts = findings({ sides: [side], connection: { verdict: 'failed', reason: r.reason } } as never).map((f) => f.text)
    expect(texts.join('\n')).toMatch(/refused 2 of the other side's 2 candidates \(127\.0\.0\.1:50001, 127\.0\.0\.1:50002\)/)
  })
})
