// A fake port-mapping gateway on a loopback address (127.x.y.z): NAT-PMP/PCP on UDP 5351, SSDP on UDP
// 1900 (unicast) and UPnP's HTTP on a free port. Each part answers well, with garbage, with an error, or not at all.
import { createSocket, type Socket } from 'node:dgram'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Behaviour = 'ok' | 'garbage' | 'error' | 'silent'

export interface FakeGateway {
  address: string
  external: string
  /** Every UDP request received on 5351 (hex) and every SOAP action. */
  seen: { udp: string[]; soap: string[] }
  close(): Promise<void>
}

export async function startFakeGateway(b: { natPmp?: Behaviour; pcp?: Behaviour; upnp?: Behaviour; ssdp?: Behaviour }): Promise<FakeGateway> {
  const address = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`
  const external = '198.51.100.7'
  const seen = { udp: [] as string[], soap: [] as string[] }
  const http: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      if (req.method === 'GET') {
        if (b.upnp === 'garbage') return void res.end('<html>router login</html>')
        res.setHeader('Content-Type', 'text/xml')
        return void res.end(
          `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl</controlURL></service></serviceList></device></root>`
        )
      }
      const action = /#(\w+)"?$/.exec(String(req.headers.soapaction))?.[1] ?? '?'
      seen.soap.push(action)
      if (b.upnp === 'error') {
        res.statusCode = 500
        return void res.end('<s:Fault><detail><UPnPError><errorCode>501</errorCode><errorDescription>ActionFailed</errorDescription></UPnPError></detail></s:Fault>')
      }
      if (action === 'GetExternalIPAddress') return void res.end(`<s:Envelope><s:Body><u:R><NewExternalIPAddress>${external}</NewExternalIPAddress></u:R></s:Body></s:Envelope>`)
      res.end('<s:Envelope><s:Body><u:R/></s:Body></s:Envelope>')
    })
  })
  await new Promise<void>((r) => http.listen(0, address, () => r()))
  const httpPort = (http.address() as AddressInfo).port

  const bindUdp = (port: number, onMessage: (s: Socket, msg: Buffer, from: { address: string; port: number }) => void) =>
    new Promise<Socket>((resolve) => {
      const s = createSocket('udp4')
      s.on('message', (msg, rinfo) => onMessage(s, msg, rinfo))
      s.bind(port, address, () => resolve(s))
    })

  const pmp = await bindUdp(5351, (s, msg, from) => {
    seen.udp.push(msg.toString('hex'))
    const reply = (buf: Buffer) => s.send(buf, from.port, from.address)
    if (msg[0] === 0) {
      if (b.natPmp === 'silent') return
      if (b.natPmp === 'garbage') return reply(Buffer.from('garbage!'))
      const op = msg[1]!
      if (b.natPmp === 'error') return reply(Buffer.from([0, 128 + op, 0, 2, 0, 0, 0, 9]))
      if (op === 0) return reply(Buffer.from([0, 128, 0, 0, 0, 0, 0, 9, ...external.split('.').map(Number)]))
      const r = Buffer.alloc(16)
      r[1] = 128 + op
      r.writeUInt32BE(9, 4)
      r.writeUInt16BE(msg.readUInt16BE(4), 8)
      r.writeUInt16BE(msg.readUInt32BE(8) === 0 ? 0 : msg.readUInt16BE(4) + 1, 10)
      r.writeUInt32BE(msg.readUInt32BE(8), 12)
      return reply(r)
    }
    if (msg[0] === 2) {
      if (b.pcp === 'silent') return
      if (b.pcp === 'garbage') return reply(Buffer.alloc(24, 0xee))
      const r = Buffer.alloc(24)
      r[0] = 2
      r[1] = 0x80 | msg[1]!
      r[3] = b.pcp === 'error' ? 2 : 0
      r.writeUInt32BE(msg.readUInt32BE(4), 4)
      r.writeUInt32BE(9, 8)
      if (msg[1] === 1 && b.pcp !== 'error') {
        const p = Buffer.from(msg.subarray(24, 60))
        p.writeUInt16BE(p.readUInt16BE(16) + 2, 18)
        Buffer.from('00000000000000000000ffffc6336407', 'hex').copy(p, 20)
        return reply(Buffer.concat([r, p]))
      }
      return reply(r)
    }
  })
  const ssdp = await bindUdp(1900, (s, msg, from) => {
    if (!msg.toString().startsWith('M-SEARCH') || b.ssdp === 'silent' || b.upnp === 'silent') return
    const text = b.ssdp === 'garbage' ? 'HTTP/1.1 200 OK\r\nST: x\r\n\r\n' : `HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://${address}:${httpPort}/rootDesc.xml\r\nSERVER: fake/1 UPnP/1.1\r\n\r\n`
    s.send(Buffer.from(text), from.port, from.address)
  })
  return {
    address,
    external,
    seen,
    close: async () => {
      await new Promise<void>((r) => pmp.close(() => r()))
      await new Promise<void>((r) => ssdp.close(() => r()))
      http.closeAllConnections()
      await new Promise<void>((r) => http.close(() => r()))
    }
  }
}
