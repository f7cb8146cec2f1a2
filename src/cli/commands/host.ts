import { iceOptionSpec, iceFromArgs, isLoopback, parse, parseListen, parseSeconds } from '../args'
import { NoReplyError, UsageError } from '../errors'
import type { Io } from '../io'
import { Printer } from '../printer'
import { runPeer } from '../runPeer'
import { startSignal } from './signal'
import { localHostChannel } from '../../core/signaling/local'
import { createRoom, httpChannel, SignalClientError } from '../../core/signaling/client'
import { formatInvite } from '../../core/signaling/invite'
import { ManualChannel } from '../../core/signaling/manual'
import { StunResponder } from '../../core/stun/responder'
import { localAddresses, preferredAddress, urlHost } from '../../core/net/interfaces'
import type { IceOptions } from '../../core/peer/iceConfig'
import { HOST_PEER_ID } from '../../shared/signaling'

export const hostUsage = `peerlens host [--listen HOST:PORT | --signal URL | --manual] [--public-url URL]
              [--stun URL]... [--turn URL]... [--turn-user U] [--turn-pass P] [--relay]
              [--report FILE] [--json] [--timeout S] [--name NAME]`

export async function hostCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    listen: { type: 'string' },
    signal: { type: 'string' },
    manual: { type: 'boolean' },
    'public-url': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    name: { type: 'string' },
    ...iceOptionSpec
  })
  const modes = [values.listen !== undefined, values.signal !== undefined, values.manual === true].filter(Boolean).length
  if (modes > 1) throw new UsageError('choose one of --listen, --signal and --manual')
  const ice = iceFromArgs(values)
  const printer = new Printer(io, values.json === true)
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 600) * 1000
  const common = { role: 'host' as const, printer, io, timeoutMs, reportFile: values.report, name: values.name ?? 'host' }

  if (values.manual) return hostManual(ice, common)
  if (values.signal !== undefined) return hostRemote(values.signal, ice, common)

  const { host, port } = parseListen(values.listen ?? '0.0.0.0:8080')
  let running: Awaited<ReturnType<typeof startSignal>>
  try {
    running = await startSignal(host, port, {})
  } catch (err) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(err as Error).message}`)
  }
  try {
    const wildcard = host === '0.0.0.0' || host === '::'
    const shown = wildcard ? preferredAddress() : host
    const base = values['public-url'] ?? `http://${urlHost(shown)}:${running.port}/`
    const { created, channel } = localHostChannel(running.server.rooms)
    if (!ice.stun.length) ice.stun = [`stun:${wildcard ? '127.0.0.1' : urlHost(host)}:${running.stunPort ?? running.port}`]
    if (isLoopback(host) || isLoopback(shown)) ice.additionalHostAddresses = ['127.0.0.1']
    printer.main('invite', { url: formatInvite(base, created.room, created.secret) }, `invite: ${formatInvite(base, created.room, created.secret)}`)
    if (wildcard && !values['public-url']) {
      for (const a of localAddresses().filter((x) => !x.internal)) {
        printer.progress('address', { ...a, url: `http://${urlHost(a.address)}:${running.port}/` }, `  also reachable as http://${urlHost(a.address)}:${running.port}/ (${a.name}${a.vpnLike ? ', VPN' : ''})`)
      }
    }
    printer.progress('waiting', {}, 'waiting for a joiner...')
    return await runPeer({ ...common, channel, ice })
  } finally {
    await running.stop()
  }
}

async function hostRemote(signal: string, ice: IceOptions, common: Omit<Parameters<typeof runPeer>[0], 'channel' | 'ice'>): Promise<number> {
  let base: URL
  try {
    base = new URL(signal)
  } catch {
    throw new UsageError(`--signal wants the server's URL, got ${JSON.stringify(signal)}`)
  }
  let created
  try {
    created = await createRoom(base.href)
  } catch (err) {
    if (err instanceof SignalClientError && err.status === 0) throw new NoReplyError(err.message)
    throw err
  }
  if (!ice.stun.length) ice.stun = [`stun:${base.hostname.includes(':') ? `[${base.hostname}]` : base.hostname}:${base.port || 80}`]
  if (isLoopback(base.hostname)) ice.additionalHostAddresses = ['127.0.0.1']
  const invite = formatInvite(base.href, created.room, created.secret)
  common.printer.main('invite', { url: invite }, `invite: ${invite}`)
  common.printer.progress('waiting', {}, 'waiting for a joiner...')
  return runPeer({ ...common, ice, channel: httpChannel(base.href, created.room, HOST_PEER_ID, created.hostToken) })
}

async function hostManual(ice: IceOptions, common: Omit<Parameters<typeof runPeer>[0], 'channel' | 'ice'>): Promise<number> {
  const { printer, io } = common
  if (!io.readLine) throw new UsageError('--manual needs standard input for the answer')
  // With no server, run our own STUN responder so werift never falls back to a public one.
  const stun = new StunResponder()
  if (!ice.stun.length) ice.stun = [`stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`]
  ice.additionalHostAddresses ??= ['127.0.0.1']
  const readLine = io.readLine
  const channel = new ManualChannel({
    peerId: 'host',
    // No signaling server tells us someone joined: start as if the joiner had said hello.
    preamble: [{ type: 'hello', data: { name: 'manual', version: 'unknown', features: [] } }],
    onBlob: (blob) => {
      printer.main('offer', { blob }, `offer: ${blob}`)
      printer.progress('waiting', {}, 'give the offer to the joiner (peerlens join <offer>), then paste its answer here:')
    },
    readBlob: readLine
  })
  try {
    return await runPeer({ ...common, ice, channel })
  } finally {
    await stun.close()
  }
}
