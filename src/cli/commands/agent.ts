import { hostname } from 'node:os'
import { iceOptionSpec, iceFromArgs, sessionOptionSpec, sessionFromArgs, parse, parseListen, parseSeconds, parseHttpUrl } from '../args'
import { checkName, groupFromArgs, groupOptionSpec } from '../groupArgs'
import { EXIT, UsageError } from '../errors'
import type { Io } from '../io'
import { cleanLine } from '../../shared/cleanText'
import { Agent, AgentStartError, type AgentEvent } from '../../core/agent/agent'
import { History, defaultHistoryFile, DEFAULT_HISTORY_BYTES } from '../../core/agent/history'
import { MetricsServer } from '../../core/metrics/server'
import { agentFamilies } from '../../core/metrics/agent'
import { urlHost } from '../../core/net/interfaces'
import { BadInputError, NoReplyError } from '../../core/run/errors'

export { agentUsage } from '../usage'

export async function agentCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    ...groupOptionSpec,
    name: { type: 'string' },
    interval: { type: 'string' },
    timeout: { type: 'string' },
    history: { type: 'string' },
    'history-max-mb': { type: 'string' },
    json: { type: 'boolean' },
    loki: { type: 'string' },
    'loki-tenant': { type: 'string' },
    'metrics-listen': { type: 'string' },
    ...iceOptionSpec,
    ...sessionOptionSpec
  })
  const g = groupFromArgs(values, process.env)
  const name = checkName(values.name ?? hostname().split('.')[0]!.replace(/[^A-Za-z0-9._-]/g, '-'), '--name')
  const intervalMs = parseSeconds(values.interval, '--interval', 900) * 1000
  const timeoutMs = parseSeconds(values.timeout, '--timeout', 60) * 1000
  if (values['port-test'] !== undefined) throw new UsageError('--port-test is not for agents')
  const ice = iceFromArgs(values, process.env, (line) => io.stderr(line + '\n'))
  const session = sessionFromArgs(values)
  let maxBytes = DEFAULT_HISTORY_BYTES
  if (values['history-max-mb'] !== undefined) {
    const mb = Number(values['history-max-mb'])
    if (!Number.isFinite(mb) || mb <= 0 || mb > 1024) throw new UsageError(`--history-max-mb wants megabytes above 0 and up to 1024, got ${JSON.stringify(values['history-max-mb'])}`)
    maxBytes = Math.round(mb * 1024 * 1024)
  }
  if (values.loki !== undefined) parseHttpUrl(values.loki, '--loki')
  const metricsAt = values['metrics-listen'] !== undefined ? parseListen(values['metrics-listen']) : undefined
  const json = values.json === true
  const out = (fields: Record<string, unknown>, human: string | undefined, main: boolean): void => {
    if (json) io.stdout(JSON.stringify(fields) + '\n')
    else if (human !== undefined) (main ? io.stdout : io.stderr)(human.split('\n').map(cleanLine).join('\n') + '\n')
  }
  const history = new History(values.history ?? defaultHistoryFile(g.group, name), (line) => out({ event: 'warning', message: line }, line, false), maxBytes)
  const agent = new Agent({
    signal: g.signal,
    group: g.group,
    secret: g.secret,
    name,
    intervalMs,
    timeoutMs,
    // Agents test often: no throughput test unless asked for.
    session: { ice, ...session, throughputBytes: session.throughputBytes ?? 0 },
    history,
    ...(values.loki ? { loki: { url: values.loki, ...(values['loki-tenant'] ? { tenant: values['loki-tenant'] } : {}) } } : {}),
    emit: (e) => print(e, out, g.group)
  })
  let metrics: MetricsServer | undefined
  if (metricsAt) {
    metrics = new MetricsServer(() => agentFamilies(agent.metrics))
    try {
      const at = await metrics.listen(metricsAt.port, metricsAt.host)
      out({ event: 'metrics', url: `http://${urlHost(metricsAt.host)}:${at.port}/metrics` }, `metrics: http://${urlHost(metricsAt.host)}:${at.port}/metrics`, true)
    } catch (err) {
      throw new UsageError(`cannot listen on ${metricsAt.host}:${metricsAt.port} for metrics: ${(err as Error).message}`)
    }
  }
  out({ event: 'history', file: history.file }, `history: ${history.file}`, false)
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await agent.run(stop.signal)
  } catch (err) {
    if (err instanceof AgentStartError) throw err.unreachable ? new NoReplyError(err.message) : new BadInputError(err.message)
    throw err
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await metrics?.close()
  }
  out({ event: 'stopped' }, 'stopped', false)
  return EXIT.ok
}

function print(e: AgentEvent, out: (fields: Record<string, unknown>, human: string | undefined, main: boolean) => void, group: string): void {
  switch (e.event) {
    case 'registered':
      return out(e, `registered in group ${group}: ${e.members.join(', ')}`, true)
    case 'members':
      return out(e, `members: ${e.members.join(', ')}`, true)
    case 'testing':
      return out(e, `testing with ${e.peer} (${e.role === 'host' ? 'hosting' : 'joining'}, ${e.trigger})`, false)
    case 'pair': {
      const r = e.record
      const rtt = r.rttMs !== null ? `, rtt ${r.rttMs} ms` : ''
      const nat = `NAT ${r.self} ${r.nat.self ?? 'unknown'}, ${r.peer} ${r.nat.peer ?? 'unknown'}`
      return out({ event: 'pair', ...r }, `pair ${r.self} ↔ ${r.peer}: ${r.verdict}${rtt} (${nat}; prediction ${r.prediction ?? 'none'}): ${r.reason}`, true)
    }
    case 'flip':
      return out({ event: 'flip', ...e.flip }, e.flip.text, true)
    case 'network':
      return out(e, `network changed: ${e.changes.join('; ')}`, false)
    case 'warning':
      return out(e, e.message.startsWith('warning:') ? e.message : `warning: ${e.message}`, false)
  }
}
