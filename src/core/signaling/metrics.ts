import type { Family } from '../metrics/exposition'
import type { RoomStore } from './store'
import type { GroupStore } from './groupStore'

/** Why a request was refused, as a metric label: from its status and the error's words. */
export function rejectionReason(status: number, message: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^rate limited/, 'rate_limited'],
    [/too many connections/, 'connections_per_address'],
    [/too many rooms from your address/, 'rooms_per_address'],
    [/too many groups from your address/, 'groups_per_address'],
    [/too many group members from your address/, 'members_per_address'],
    [/too many members in this group/, 'group_members'],
    [/server full: too many groups/, 'server_groups'],
    [/^wrong group secret/, 'wrong_group_secret'],
    [/undelivered messages for this member/, 'inbox_budget'],
    [/server full: too many rooms/, 'server_rooms'],
    [/undelivered messages in this room/, 'room_budget'],
    [/undelivered messages on this server/, 'server_budget'],
    [/^storage unavailable/, 'store_unavailable'],
    [/too many uploads at once/, 'body_budget']
  ]
  for (const [pattern, reason] of rules) if (pattern.test(message)) return reason
  return STATUS_REASON[status] ?? `status_${status}`
}

const STATUS_REASON: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'room_taken',
  413: 'too_large',
  415: 'unsupported_media_type',
  421: 'wrong_host',
  429: 'too_many_requests',
  431: 'headers_too_large',
  500: 'internal_error',
  503: 'unavailable'
}

/**
 * The signaling server's metrics: what its store holds (shared by every instance with Redis) and
 * what this instance did. Refusals are counted by reason.
 */
export class SignalMetrics {
  messages = 0
  longPolls = 0
  private readonly rejections = new Map<string, number>()

  constructor(
    private readonly store: RoomStore,
    private readonly groups?: GroupStore
  ) {}

  reject(status: number, message: string): void {
    if (!(status >= 400)) return
    const reason = rejectionReason(status, message)
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1)
  }

  rejected(reason: string): number {
    return this.rejections.get(reason) ?? 0
  }

  async collect(): Promise<Family[]> {
    let stats
    let groups
    let up = 1
    try {
      ;[stats, groups] = await Promise.all([this.store.stats(), this.groups?.stats()])
    } catch {
      up = 0
    }
    const gauge = (name: string, help: string, value: number | undefined): Family[] =>
      value === undefined ? [] : [{ name, help, type: 'gauge', samples: [{ value }] }]
    return [
      ...gauge('peerlens_signal_store_up', 'Whether the room store (memory or Redis) answered this scrape.', up),
      ...gauge('peerlens_signal_rooms', 'Rooms in the store.', stats?.rooms),
      ...gauge('peerlens_signal_peers', 'Peers (hosts and joiners) in the rooms of the store.', stats?.peers),
      ...gauge('peerlens_signal_stored_messages', 'Messages stored and not yet acknowledged by their recipient.', stats?.messages),
      ...gauge('peerlens_signal_stored_bytes', 'Bytes counted for the stored messages against the store budget.', stats?.storedBytes),
      ...gauge('peerlens_signal_groups', 'Agent groups in the group directory.', groups?.groups),
      ...gauge('peerlens_signal_group_members', 'Agents registered in the group directory, all groups.', groups?.members),
      ...gauge('peerlens_signal_long_polls', 'Long polls this instance holds open now.', this.longPolls),
      { name: 'peerlens_signal_messages_total', help: 'Messages accepted (202) by this instance.', type: 'counter', samples: [{ value: this.messages }] },
      {
        name: 'peerlens_signal_rejections_total',
        help: 'Requests this instance refused, by reason.',
        type: 'counter',
        samples: [...this.rejections].sort(([a], [b]) => a.localeCompare(b)).map(([reason, value]) => ({ labels: { reason }, value }))
      }
    ]
  }
}
