import { randomBytes } from 'node:crypto'
import type { CandidateInfo, Role } from '../../shared/session'
import type { UdpPortTest } from '../../shared/report'
import type { PortHalf, PortPlan } from '../../shared/protocol/portTest'
import { runPortWindow } from './portWindow'
import { combinePort, portTargets } from './results'

const PORT_TEST_LEAD_MS = 1_000
const PORT_PLAN_WAIT_MS = 5_000
const PORT_RESULT_WAIT_MS = 3_000

/** What the exchange needs from the session at the time it runs. */
export interface PortTestContext {
  role: Role
  ports: number[]
  send(type: 'port-test' | 'port-result', data: unknown): Promise<void>
  /** The other side's clock minus ours (ms), when known: the host's start time is on its clock. */
  peerClockOffsetMs: () => number | undefined
  remoteCandidates: () => CandidateInfo[]
  onStart(ports: number[]): void
}

/**
 * UDP port tests outside WebRTC, after the session: the host names the ports and a start time a
 * moment ahead; both sides send to each other's addresses at that port at the same moment, then
 * swap what arrived. Runs while signaling is still up, whether or not ICE connected. The session
 * hands the other side's 'port-test' and 'port-result' messages in as they arrive.
 */
export class PortTestExchange {
  private resolvePlan: (plan: PortPlan | undefined) => void = () => {}
  private readonly plan = new Promise<PortPlan | undefined>((r) => (this.resolvePlan = r))
  private readonly results = new Map<number, PortHalf>()
  private arrived: () => void = () => {}

  onPlan(plan: PortPlan | undefined): void {
    this.resolvePlan(plan)
  }

  onResult(half: PortHalf | undefined): void {
    if (half) this.results.set(half.port, half)
    this.arrived()
  }

  async run(c: PortTestContext): Promise<UdpPortTest[]> {
    const { role, ports } = c
    let plan: PortPlan | undefined
    if (role === 'host') {
      plan = { ports, startAt: Date.now() + PORT_TEST_LEAD_MS, nonce: randomBytes(6).toString('hex') }
      await c.send('port-test', plan).catch(() => {})
    } else {
      plan = await Promise.race([this.plan, new Promise<undefined>((r) => setTimeout(() => r(undefined), PORT_PLAN_WAIT_MS))])
      if (!plan) return ports.map((p) => combinePort(undefined, undefined, p))
      // The host's start time is on its clock: move it onto ours.
      plan = { ...plan, startAt: plan.startAt + (c.peerClockOffsetMs() ?? 0) * -1 }
    }
    c.onStart(plan.ports)
    const targets = portTargets(c.remoteCandidates())
    const { nonce, startAt } = plan
    const own = await Promise.all(plan.ports.map((port) => runPortWindow({ port, targets: targets.map((address) => ({ address, port })), nonce, role, startAt })))
    for (const half of own) await c.send('port-result', half).catch(() => {})
    const deadline = Date.now() + PORT_RESULT_WAIT_MS
    while (plan.ports.some((p) => !this.results.has(p)) && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100)
        this.arrived = () => (clearTimeout(t), r())
      })
    }
    return own.map((half) => {
      const other = this.results.get(half.port)
      return role === 'host' ? combinePort(half, other, half.port) : combinePort(other, half, half.port)
    })
  }
}
