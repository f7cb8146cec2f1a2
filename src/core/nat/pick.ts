// Several candidate servers: test I to all at once, each from its own socket with its own RTO.
import type { NatEndpoint } from '../../shared/nat'
import { RtoEstimator } from '../stun/rto'
import { otherAddressProblem } from './classify'
import type { Picked } from './execute'
import type { Budget } from './plan'
import { startBinding, type Run } from './run'

export interface Candidate {
  host: string
  endpoint: NatEndpoint
}

/** The first answer with a usable OTHER-ADDRESS wins, else the first answer; the others are stopped. */
export async function pickServer<C extends Candidate>(run: Run, candidates: C[], budget: Budget): Promise<(Picked & { candidate: C }) | undefined> {
  const probes = await Promise.all(
    candidates.map(async (candidate) => {
      const socket = await run.open()
      const { tx, test } = startBinding(run, 'mapping-1', socket, candidate.endpoint, { giveUpMs: run.wait(budget.giveUp), rto: new RtoEstimator(), maxTransmissions: budget.transmissions })
      return { candidate, socket, tx, test }
    })
  )
  return new Promise((resolve) => {
    let left = probes.length
    let fallback: (typeof probes)[number] | undefined
    let chosen = false
    const choose = (p: (typeof probes)[number] | undefined) => {
      if (chosen) return
      chosen = true
      for (const other of probes) if (other !== p) other.tx.stop()
      resolve(p && { candidate: p.candidate, server: p.candidate.endpoint, socket: p.socket, test: p.test, outcome: p.tx.done })
    }
    for (const p of probes) {
      void p.tx.done.then((o) => {
        left--
        if (o.result === 'reply') {
          if (!otherAddressProblem(p.candidate.endpoint, o.reply.message.otherAddress)) return choose(p)
          fallback ??= p
        }
        if (left === 0) choose(fallback)
      })
    }
  })
}
