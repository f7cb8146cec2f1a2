import { describe, expect, it } from 'vitest'
import { decodeSearchResponse, decodeSoap, encodeSearch, findWanService, soapEnvelope } from '../../../src/core/portmap/upnp'

const DESC = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service></serviceList>
<deviceList><device><deviceList><device><serviceList>
<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL></service>
</serviceList></device></deviceList></device></deviceList></device></root>`

describe('UPnP IGD (pure parts)', () => {
  it('the M-SEARCH asks for an Internet Gateway Device', () => {
    const text = encodeSearch().toString()
    expect(text).toMatch(/^M-SEARCH \* HTTP\/1\.1\r\n/)
    expect(text).toContain('ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n')
    expect(text).toContain('MAN: "ssdp:discover"')
    expect(text.endsWith('\r\n\r\n')).toBe(true)
  })

  it.each([
    ['an answer', 'HTTP/1.1 200 OK\r\nST: urn:x\r\nLocation: http://10.1.0.1:5000/rootDesc.xml\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n\r\n', { ok: true, value: { location: 'http://10.1.0.1:5000/rootDesc.xml', st: 'urn:x', server: 'Debian/12 UPnP/1.1 MiniUPnPd/2.3.1' } }],
    ['no LOCATION', 'HTTP/1.1 200 OK\r\nST: x\r\n\r\n', { ok: false, reason: 'SSDP answer without LOCATION' }],
    ['a bad LOCATION', 'HTTP/1.1 200 OK\r\nLOCATION: ::nonsense\r\n\r\n', { ok: false, reason: expect.stringMatching(/bad LOCATION/) }],
    ['an https LOCATION', 'HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n', { ok: false, reason: expect.stringMatching(/not http/) }],
    ['another M-SEARCH', 'M-SEARCH * HTTP/1.1\r\n\r\n', { ok: false, reason: expect.stringMatching(/not an SSDP answer/) }],
    ['binary garbage', '\u0000\u0001\u0002', { ok: false, reason: expect.stringMatching(/not an SSDP answer/) }]
  ])('decodes an SSDP answer: %s', (_name, text, want) => {
    expect(decodeSearchResponse(Buffer.from(text, 'latin1'))).toEqual(want)
  })

  it('finds WANIPConnection in a nested description and resolves its control URL', () => {
    expect(findWanService(DESC, 'http://10.1.0.1:5000/rootDesc.xml')).toEqual({
      ok: true,
      value: { serviceType: 'urn:schemas-upnp-org:service:WANIPConnection:1', controlUrl: 'http://10.1.0.1:5000/ctl/IPConn' }
    })
    const withBase = DESC.replace('<device>', '<URLBase>http://10.1.0.1:6000/</URLBase><device>')
    expect(findWanService(withBase, 'http://10.1.0.1:5000/rootDesc.xml')).toMatchObject({ ok: true, value: { controlUrl: 'http://10.1.0.1:6000/ctl/IPConn' } })
  })

  it.each([
    ['not XML', 'hello', /not UPnP XML/],
    ['no WAN service', DESC.replace(/WANIPConnection/g, 'WANCommonInterfaceConfig'), /no WANIPConnection or WANPPPConnection service/],
    ['no control URL', DESC.replace('<controlURL>/ctl/IPConn</controlURL>', ''), /without a controlURL/]
  ])('a description without a usable service: %s', (_name, xml, reason) => {
    expect(findWanService(xml, 'http://10.1.0.1:5000/')).toMatchObject({ ok: false, reason: expect.stringMatching(reason) })
  })

  it('SOAP: the envelope escapes arguments; answers and UPnP errors are read', () => {
    const env = soapEnvelope('urn:schemas-upnp-org:service:WANIPConnection:1', 'AddPortMapping', { NewPortMappingDescription: 'a<b&c' })
    expect(env).toContain('<u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewPortMappingDescription>a&lt;b&amp;c</NewPortMappingDescription>')
    const ok = '<s:Envelope><s:Body><u:GetExternalIPAddressResponse><NewExternalIPAddress>203.0.113.11</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>'
    expect(decodeSoap(200, ok, ['NewExternalIPAddress'])).toEqual({ ok: true, value: { NewExternalIPAddress: '203.0.113.11' } })
    expect(decodeSoap(200, '<x/>', ['NewExternalIPAddress'])).toEqual({ ok: false, reason: 'UPnP answer without NewExternalIPAddress' })
    const fault = '<s:Fault><detail><UPnPError><errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault>'
    expect(decodeSoap(500, fault, [])).toEqual({ ok: false, resultCode: 718, reason: 'UPnP error 718 (ConflictInMappingEntry) (HTTP 500)' })
    expect(decodeSoap(404, 'nope', [])).toEqual({ ok: false, reason: 'UPnP error (HTTP 404)' })
  })
})
