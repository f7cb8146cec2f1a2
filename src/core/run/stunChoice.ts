import { publicStunServers } from '../nat/defaultServers'
import { DEFAULT_NAT_TIMING } from '../nat/timing'
import { pickServer } from '../nat/pick'
import { resolveServer } from '../nat/resolve'
import { Run } from '../nat/run'
import type { IceOptions } from '../peer/iceConfig'
import type { SessionStun } from '../../shared/report'

// Which STUN servers a session uses (docs/diagnosis.md, "Defaults"): the user's (--stun), else the public
// list (the first RFC 5780 server that answers), else, with --offline or when none answers, the
// signaling server's own responder: then no packet goes to anyone but the two sides and their server.

export interface StunChoice {
  ice: IceOptions
  /** For the report: where the servers came from, which were used, which third parties were contacted. */
  stun: SessionStun
  /** The servers NAT discovery asks (all at once; the first RFC 5780 answer wins). */
  natServers: string[]
}

/** How long a public server's name may take to resolve. */
const RESOLVE_BUDGET_MS = 1_500

/** A budget for picking: a first RTO of 250 ms, four transmissions, given up after about 1.5 s. */
const PICK_BUDGET = { giveUp: { floorMs: 1_500, rtts: 0 }, transmissions: 4 }

export async function chooseStun(ice: IceOptions, o: { offline?: boolean; own: string }): Promise<StunChoice> {
  if (ice.stun.length) return { ice, stun: { source: 'given', servers: ice.stun, contacted: ice.stun }, natServers: ice.stun }
  if (o.offline) return { ice: { ...ice, stun: [o.own] }, stun: { source: 'offline', servers: [o.own], contacted: [] }, natServers: [o.own] }
  const list = publicStunServers()
  const winner = await firstAnswer(list).catch(() => undefined)
  if (!winner) {
    // Nobody on the list answered (no internet, UDP blocked): the session still runs on the signaling server's responder.
    return { ice: { ...ice, stun: [o.own] }, stun: { source: 'default', servers: [o.own], contacted: list, note: `none of the ${list.length} public STUN servers answered: using the signaling server's own` }, natServers: [o.own] }
  }
  return { ice: { ...ice, stun: [winner] }, stun: { source: 'default', servers: [winner], contacted: list }, natServers: [winner, ...list.filter((u) => u !== winner)] }
}

/** The first server of `urls` that answers a binding request with a usable OTHER-ADDRESS, else the first that answers. */
async function firstAnswer(urls: string[]): Promise<string | undefined> {
  const run = new Run(4, DEFAULT_NAT_TIMING, () => {})
  try {
    // A name that does not resolve within the budget (no DNS at all, say) counts as no answer.
    const resolved = await Promise.all(urls.map(async (url) => ({ url, r: await withinMs(resolveServer(url, 4), RESOLVE_BUDGET_MS) })))
    const usable = resolved.flatMap(({ url, r }) => (r?.ok ? [{ url, host: r.host, endpoint: r.endpoint }] : []))
    if (!usable.length) return undefined
    return (await pickServer(run, usable, PICK_BUDGET))?.candidate.url
  } finally {
    await run.close()
  }
}

/** The promise's value, or undefined when it fails or takes longer than `ms`. */
function withinMs<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    p.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      () => {
        clearTimeout(timer)
        resolve(undefined)
      }
    )
  })
}
