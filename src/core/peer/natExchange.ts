import { networkInterfaces } from 'node:os'
import type { NatResult } from '../../shared/nat'
import type { Prediction } from '../../shared/report'
import type { Role } from '../../shared/session'
import { FEATURE_NAT } from '../../shared/protocol/messages'
import { predict } from '../../shared/diagnosis/prediction'
import type { NewEvent } from './attempt'
import { predictionInput, type Sides } from './attemptRules'

/** What the exchange needs from its session. */
export interface NatHost {
  sides(): Sides & { peerKnown: boolean }
  emit(event: NewEvent): void
  send(type: 'nat', data: unknown): Promise<void>
}

/**
 * Both sides' NAT behaviour: runs this side's discovery, sends its result to a peer that reads it,
 * records the other side's, and predicts the verdict once both are in (or known to be absent).
 */
export class NatExchange {
  /** This side's result: undefined while discovery runs (or when it does not), null when it got no answer. */
  nat: NatResult | null | undefined
  peerNat: NatResult | null | undefined
  prediction: Prediction | undefined
  /** Settles when this side's discovery is over. */
  done: Promise<void> = Promise.resolve()
  private sent = false

  constructor(private readonly host: NatHost) {}

  start(role: Role, discover: () => Promise<NatResult | null>): void {
    this.done = discover()
      .then(
        (nat) => {
          this.nat = nat
          if (nat) this.emitNat(role, nat)
          else this.host.emit({ kind: 'warning', message: 'NAT discovery got no answer from the STUN server' })
        },
        (err: Error) => {
          this.nat = null
          this.host.emit({ kind: 'warning', message: `NAT discovery failed: ${err.message}` })
        }
      )
      .then(() => this.changed())
  }

  /** The other side's result arrived (null: it sent one, but not one we can read). */
  onPeerNat(side: Role, nat: NatResult | null): void {
    this.peerNat = nat
    if (nat) this.emitNat(side, nat)
    this.changed()
  }

  /** Sends our result once the other side can read it, and predicts once both are in. */
  changed(): void {
    const sides = this.host.sides()
    if (!this.sent && this.nat !== undefined && sides.peer(FEATURE_NAT)) {
      this.sent = true
      void this.host.send('nat', { nat: this.nat }).catch(() => {})
    }
    const input = this.prediction ? undefined : predictionInput(sides, this.nat, this.peerNat, ownSubnets())
    if (!input) return
    this.prediction = predict(input)
    this.host.emit({ kind: 'prediction', ...this.prediction })
  }

  private emitNat(side: Role, nat: NatResult): void {
    this.host.emit({ kind: 'nat', side, mapping: nat.mapping, filtering: nat.filtering, classic: nat.classic, reason: nat.reason })
  }
}

/** This machine's IPv4 addresses with their prefix lengths (is the other side's host address on one of our subnets?). */
function ownSubnets(): Array<{ address: string; prefixLength: number | null }> {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((a) => (a && a.family === 'IPv4' && !a.internal ? [{ address: a.address, prefixLength: Number(a.cidr?.split('/')[1] ?? NaN) || null }] : []))
}
