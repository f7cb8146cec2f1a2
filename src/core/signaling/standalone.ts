import { SignalingServer, type SignalingServerOptions } from './server'
import { StunResponder, type AlternateAddress } from '../stun/responder'

export interface RunningSignal {
  server: SignalingServer
  port: number
  /** The UDP port of the STUN responder: the same number when it was free, else undefined. */
  stunPort: number | undefined
  stop(): Promise<void>
}

/** A signaling server with a STUN responder on the same port number, as host and `peerlens signal` run it. */
export async function startSignalServer(host: string, port: number, options: SignalingServerOptions & { stunAlt?: AlternateAddress } = {}): Promise<RunningSignal> {
  const { stunAlt, ...serverOptions } = options
  const server = new SignalingServer(serverOptions)
  const address = await server.listen(port, host)
  const stun = new StunResponder()
  let stunPort: number | undefined
  try {
    stunPort = await stun.listen(address.port, host, stunAlt)
  } catch (err) {
    // Asked for RFC 5780: a responder without it would quietly answer less than promised.
    if (stunAlt) {
      await server.close()
      throw err
    }
    stunPort = undefined
  }
  return {
    server,
    port: address.port,
    stunPort,
    async stop() {
      await Promise.all([server.close(), stun.close()])
    }
  }
}
