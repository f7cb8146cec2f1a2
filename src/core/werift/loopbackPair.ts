import { RTCPeerConnection, type RTCDataChannel, type RTCPeerConnectionConfig } from 'werift'

/**
 * Two werift peers in this process connected over loopback, with the data channel "peerlens"
 * open on both sides. For the throughput tests and benchmark only (no signaling: the offer and
 * answer are handed over after gathering completes). `stunUrl` must point at a loopback STUN
 * responder: werift falls back to a public server when no STUN server is configured.
 */
export interface LoopbackPair {
  offerer: RTCPeerConnection
  answerer: RTCPeerConnection
  /** The channel on the side that created it. */
  a: RTCDataChannel
  /** The same channel as seen by the other side. */
  b: RTCDataChannel
  close(): Promise<void>
}

export interface LoopbackOptions {
  stunUrl: string
  /** Extra werift settings (e.g. `sctp: { mtu }`, `maxMessageSize`), applied on both sides. */
  config?: Partial<RTCPeerConnectionConfig>
  timeoutMs?: number
  /** Called once the offerer and its channel exist, before the answerer is created (tests use it to patch one side only). */
  beforeAnswerer?: () => void
}

export function loopbackConfig(stunUrl: string, extra: Partial<RTCPeerConnectionConfig> = {}): RTCPeerConnectionConfig {
  return {
    iceServers: [{ urls: stunUrl }],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    // Only the loopback candidate: nothing leaves the machine, and checks finish at once.
    iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1' && pair.remoteCandidate.host === '127.0.0.1',
    iceUseIpv6: false,
    iceStunGatherTimeout: 1,
    ...extra
  }
}

export async function connectLoopbackPair(options: LoopbackOptions): Promise<LoopbackPair> {
  const config = loopbackConfig(options.stunUrl, options.config)
  const offerer = new RTCPeerConnection(config)
  const a = offerer.createDataChannel('peerlens', { ordered: true })
  options.beforeAnswerer?.()
  const answerer = new RTCPeerConnection(config)
  const close = async (): Promise<void> => {
    await Promise.allSettled([offerer.close(), answerer.close()])
  }
  try {
    const remote = new Promise<RTCDataChannel>((resolve) => answerer.onDataChannel.subscribe((dc) => resolve(dc)))
    const opened = (dc: RTCDataChannel): Promise<void> =>
      dc.readyState === 'open' ? Promise.resolve() : new Promise((resolve) => dc.stateChanged.subscribe((s) => s === 'open' && resolve()))

    await offerer.setLocalDescription(await offerer.createOffer())
    await gathered(offerer)
    await answerer.setRemoteDescription(offerer.localDescription!)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await gathered(answerer)
    await offerer.setRemoteDescription(answerer.localDescription!)

    const ready = (async () => {
      const b = await remote
      await Promise.all([opened(a), opened(b)])
      return b
    })()
    const b = await withTimeout(ready, options.timeoutMs ?? 15_000, 'loopback data channel did not open')
    return { offerer, answerer, a, b, close }
  } catch (err) {
    await close()
    throw err
  }
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const sub = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        sub.unSubscribe()
        resolve()
      }
    })
  })
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}
