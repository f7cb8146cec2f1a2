import { createSocket, type Socket } from 'node:dgram'
import { bindingRequest, buildBindingResponse } from '../werift/stunCodec'
import type { NatEndpoint } from '../../shared/nat'

/** The alternate address and port of an RFC 5780 responder (`peerlens signal --stun-alt ADDR[:PORT]`). */
export interface AlternateAddress {
  address: string
  /** Default: the primary port + 1. */
  port?: number
}

/**
 * A minimal STUN Binding responder (RFC 5389). The host runs one at its signaling port number
 * so that both sides have a STUN server without any packet leaving for the internet.
 *
 * Given an alternate address, it is an RFC 5780 server: it listens on the four combinations of
 * {primary, alternate} address x {primary, alternate} port, names the alternate in OTHER-ADDRESS,
 * and answers a CHANGE-REQUEST from the socket with the other address and/or port, so NAT
 * discovery against it tells both the mapping and the filtering behaviour.
 */
export class StunResponder {
  /** Sockets by "ip|port" role: [primary ip?, primary port?] -> socket. */
  private sockets = new Map<string, { socket: Socket; at: NatEndpoint }>()
  answered = 0
  ignored = 0

  async listen(port: number, host = '0.0.0.0', alt?: AlternateAddress): Promise<number> {
    const primary = await this.open(host, port, true, true)
    if (!alt) return primary.port
    if (host === '0.0.0.0' || host === '::') {
      await this.close()
      throw new Error('an RFC 5780 responder (--stun-alt) needs a specific listen address, not a wildcard')
    }
    const altPort = alt.port ?? primary.port + 1
    if (altPort === primary.port || alt.address === host) {
      await this.close()
      throw new Error('the alternate STUN address must differ from the listen address in both IP and port')
    }
    try {
      await this.open(host, altPort, true, false)
      await this.open(alt.address, primary.port, false, true)
      await this.open(alt.address, altPort, false, false)
    } catch (err) {
      await this.close()
      throw err
    }
    return primary.port
  }

  private async open(host: string, port: number, primaryIp: boolean, primaryPort: boolean): Promise<NatEndpoint> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false })
    socket.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    const at = { address: host, port: socket.address().port }
    this.sockets.set(key(primaryIp, primaryPort), { socket, at })
    socket.on('message', (data, from) => this.answer(data, from.address, from.port, primaryIp, primaryPort))
    return at
  }

  private answer(data: Buffer, address: string, port: number, primaryIp: boolean, primaryPort: boolean): void {
    const request = bindingRequest(data)
    if (!request) {
      this.ignored++
      return
    }
    const rfc5780 = this.sockets.size === 4
    // A CHANGE-REQUEST we cannot honour (no alternate address) is answered from here, as plain RFC 5389 servers do.
    const from = rfc5780 ? this.sockets.get(key(request.change.ip ? !primaryIp : primaryIp, request.change.port ? !primaryPort : primaryPort))! : this.sockets.get(key(primaryIp, primaryPort))!
    const other = this.sockets.get(key(!primaryIp, !primaryPort))
    const mapped = { address: address.includes(':') ? address.replace(/^::ffff:/, '') : address, port }
    const bytes = buildBindingResponse(request.transactionId, mapped, 'peerlens', rfc5780 && other ? { other: other.at, origin: from.at } : undefined)
    from.socket.send(bytes, port, address)
    this.answered++
  }

  async close(): Promise<void> {
    const all = [...this.sockets.values()]
    this.sockets.clear()
    await Promise.all(all.map(({ socket }) => new Promise<void>((resolve) => socket.close(() => resolve()))))
  }
}

const key = (primaryIp: boolean, primaryPort: boolean): string => `${primaryIp ? 'A' : 'a'}${primaryPort ? 'P' : 'p'}`
