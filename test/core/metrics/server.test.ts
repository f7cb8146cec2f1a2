import { afterEach, describe, expect, it } from 'vitest'
import { MetricsServer } from '../../../src/core/metrics/server'

let server: MetricsServer | undefined
afterEach(() => server?.close())

describe('the /metrics listener', () => {
  it('answers GET and HEAD /metrics, 404 elsewhere, 405 for other methods, 500 when collecting fails', async () => {
    let fail = false
    server = new MetricsServer(() => {
      if (fail) throw new Error('store down')
      return [{ name: 'x_total', help: 'X.', type: 'counter', samples: [{ value: 1 }] }]
    })
    const { port } = await server.listen(0, '127.0.0.1')
    const base = `http://127.0.0.1:${port}`
    const got = await fetch(`${base}/metrics`)
    expect(got.status).toBe(200)
    expect(await got.text()).toBe('# HELP x_total X.\n# TYPE x_total counter\nx_total 1\n')
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await fetch(`${base}/`)).status).toBe(404)
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405)
    fail = true
    const broken = await fetch(`${base}/metrics`)
    expect(broken.status).toBe(500)
    expect(await broken.text()).toMatch(/store down/)
  })
})
