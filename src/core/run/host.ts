import { runSession, since, type RunOutcome, type RunSettings } from './runSession'
import { BadInputError, NoReplyError } from './errors'
import { startSignalServer } from '../signaling/standalone'
import { advertisedHosts } from '../signaling/hosts'
import { localHostChannel } from '../signaling/local'
import { createRoom, httpChannel, SignalClientError } from '../signaling/client'
import { formatInvite } from '../signaling/invite'
import { ManualChannel } from '../signaling/manual'
import { withLocalStun } from './localStun'
import { chooseStun } from './stunChoice'
import { localAddresses, preferredAddress, urlHost } from '../net/interfaces'
import type { IceOptions } from '../peer/iceConfig'
import { HOST_PEER_ID } from '../../shared/signaling'
import type { JoinPageAssets } from '../signaling/joinPage'
import { hostname } from 'node:os'
import { listenErrorText } from '../signaling/listenError'

export type HostMode =
  | { kind: 'embedded'; host: string; port: number; publicUrl?: string; joinPage?: JoinPageAssets }
  | { kind: 'remote'; url: string }
  | { kind: 'manual'; readAnswer: () => Promise<string> }

export interface HostOptions extends RunSettings {
  mode: HostMode
  name?: string
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host)
}

/**
 * The host side: opens a room (on its embedded server, a remote one, or by blobs), waits for
 * the joiner and runs the session. The embedded server listens only while this runs.
 */
export async function runHost(o: HostOptions): Promise<RunOutcome> {
  const t0 = performance.now()
  const ice: IceOptions = { ...o.ice }
  const { mode: _mode, ice: _ice, ...settings } = o
  const common = { ...settings, role: 'host' as const, name: o.name ?? hostname() }
  const { mode } = o

  if (mode.kind === 'manual') {
    const channel = new ManualChannel({
      peerId: 'host',
      // No server tells us someone joined: start as if the joiner had said hello.
      preamble: [{ type: 'hello', data: { name: 'manual', version: 'unknown', features: [] } }],
      onBlob: (blob) => {
        o.emit({ kind: 'blob', atMs: since(t0), which: 'offer', blob })
        o.emit({ kind: 'waiting', atMs: since(t0), detail: 'give the offer to the joiner (peerlens join <offer>), then paste its answer' })
      },
      readBlob: mode.readAnswer
    })
    return withLocalStun(ice, o.offline, (c) => runSession({ ...common, ice: c.ice, stun: c.stun, natServers: c.natServers, channel }))
  }

  if (mode.kind === 'remote') {
    let base: URL
    try {
      base = new URL(mode.url)
    } catch {
      throw new BadInputError(`the signaling server address must be a URL, got ${JSON.stringify(mode.url)}`)
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new BadInputError(`the signaling server address must be http:// or https://, got ${base.protocol}`)
    let created
    try {
      created = await createRoom(base.href)
    } catch (err) {
      if (err instanceof SignalClientError && err.status === 0) throw new NoReplyError(err.message)
      throw new BadInputError(`the signaling server refused to open a room: ${(err as Error).message}`)
    }
    if (isLoopback(base.hostname)) ice.additionalHostAddresses = ['127.0.0.1']
    const stun = chooseStun(ice, { offline: o.offline, own: `stun:${urlHost(base.hostname.replace(/^\[|\]$/g, ''))}:${base.port || 80}` })
    o.emit({ kind: 'invite', atMs: since(t0), url: formatInvite(base.href, created.room, created.secret) })
    o.emit({ kind: 'waiting', atMs: since(t0), detail: 'waiting for a joiner' })
    const c = await stun
    return runSession({ ...common, ice: c.ice, stun: c.stun, natServers: c.natServers, signalingServer: base.href, room: created.room, channel: httpChannel(base.href, created.room, HOST_PEER_ID, created.hostToken) })
  }

  let running
  try {
    // It answers only to the names it advertises (DNS rebinding): listen address, invite, --public-url.
    running = await startSignalServer(mode.host, mode.port, { joinPage: mode.joinPage, allowedHosts: advertisedHosts(mode.host, [mode.publicUrl]) })
  } catch (err) {
    throw new BadInputError(listenErrorText(mode.host, mode.port, err))
  }
  try {
    const wildcard = mode.host === '0.0.0.0' || mode.host === '::'
    const shown = wildcard ? preferredAddress() : mode.host
    const base = mode.publicUrl ?? `http://${urlHost(shown)}:${running.port}/`
    const { created, channel } = localHostChannel(running.server.rooms)
    if (isLoopback(mode.host) || isLoopback(shown)) ice.additionalHostAddresses = ['127.0.0.1']
    // Picked while the invite travels: the public list answers (or not) before a joiner arrives.
    const stun = chooseStun(ice, { offline: o.offline, own: `stun:${wildcard ? '127.0.0.1' : urlHost(mode.host)}:${running.stunPort ?? running.port}` })
    o.emit({ kind: 'invite', atMs: since(t0), url: formatInvite(base, created.room, created.secret) })
    if (wildcard && !mode.publicUrl) {
      for (const address of localAddresses().filter((a) => !a.internal)) {
        o.emit({ kind: 'address', atMs: since(t0), address, url: `http://${urlHost(address.address)}:${running.port}/` })
      }
    }
    o.emit({ kind: 'waiting', atMs: since(t0), detail: 'waiting for a joiner' })
    const c = await stun
    return await runSession({ ...common, ice: c.ice, stun: c.stun, natServers: c.natServers, signalingServer: 'embedded', room: created.room, channel })
  } finally {
    await running.stop()
  }
}
