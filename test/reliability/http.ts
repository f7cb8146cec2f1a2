// Small raw HTTP helpers for the reliability tests: node:http without a pool (one socket per
// request, a chosen local address), and raw bytes over TCP for requests no client would send.
import { request } from 'node:http'
import { connect } from 'node:net'

export interface Answer {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

/** One request on its own socket; `localAddress` picks the loopback address it comes from. */
export function call(
  port: number,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; localAddress?: string; timeoutMs?: number } = {}
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
        res.on('error', reject)
      }
    )
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`${method} ${path}: no answer`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Writes raw bytes and reads until the server closes or `timeoutMs`; returns the status (0: none). */
export function raw(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    const finish = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text })
    }
    const timer = setTimeout(finish, timeoutMs)
    socket.on('data', (d) => {
      text += d.toString('latin1')
      // One answer is enough: stop once its declared body is in.
      const head = text.indexOf('\r\n\r\n')
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN)
      if (head >= 0 && text.length >= head + 4 + length) finish()
    })
    socket.on('error', finish)
    socket.on('close', finish)
    socket.write(bytes)
  })
}

/** The JSON `error` of an answer, or undefined when it has none. */
export function errorOf(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error
    return typeof error === 'string' ? error : undefined
  } catch {
    return undefined
  }
}
