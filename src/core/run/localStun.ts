import { StunResponder } from '../stun/responder'
import type { IceOptions } from '../peer/iceConfig'

/**
 * Manual mode has no signaling server to answer STUN: without a STUN server of the user's, run our
 * own responder on loopback for the length of `run`, so werift never falls back to a public one.
 */
export async function withLocalStun<T>(ice: IceOptions, run: (ice: IceOptions) => Promise<T>): Promise<T> {
  const stun = new StunResponder()
  try {
    const local: IceOptions = { ...ice, additionalHostAddresses: ice.additionalHostAddresses ?? ['127.0.0.1'] }
    if (!local.stun.length) local.stun = [`stun:127.0.0.1:${await stun.listen(0, '127.0.0.1')}`]
    return await run(local)
  } finally {
    await stun.close()
  }
}
