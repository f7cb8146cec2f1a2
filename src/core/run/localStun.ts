import { StunResponder } from '../stun/responder'
import type { IceOptions } from '../peer/iceConfig'
import { chooseStun, type StunChoice } from './stunChoice'

/**
 * Manual mode has no signaling server to answer STUN: without a STUN server of the user's, run our
 * own responder on loopback for the length of `run`, so werift never falls back to a public one.
 */
export async function withLocalStun<T>(ice: IceOptions, offline: boolean | undefined, run: (choice: StunChoice) => Promise<T>): Promise<T> {
  const stun = new StunResponder()
  try {
    const local: IceOptions = { ...ice, additionalHostAddresses: ice.additionalHostAddresses ?? ['127.0.0.1'] }
    const own = local.stun.length ? '' : `stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`
    return await run(await chooseStun(local, { offline, own }))
  } finally {
    await stun.close()
  }
}
