import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CONTENT_TYPE, exposition, type Family } from './exposition'

/**
 * A separate HTTP listener for GET /metrics (`--metrics-listen HOST:PORT`), apart from the
 * service's own port so it can stay on a private address. `collect` is called per scrape.
 */
export class MetricsServer {
  readonly http: Server

  constructor(collect: () => Promise<Family[]> | Family[]) {
    this.http = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: metrics are at /metrics\n')
        return
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('use GET\n')
        return
      }
      Promise.resolve()
        .then(collect)
        .then(
          (families) => {
            const text = exposition(families)
            res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
            res.end(req.method === 'HEAD' ? undefined : text)
          },
          (err: Error) => {
            res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`cannot collect metrics: ${err.message}\n`)
          }
        )
    })
    this.http.headersTimeout = 10_000
    this.http.requestTimeout = 15_000
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(port, host, () => {
        this.http.off('error', reject)
        resolve()
      })
    })
    return this.http.address() as AddressInfo
  }

  async close(): Promise<void> {
    this.http.closeAllConnections()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }
}
