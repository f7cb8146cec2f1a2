// The desktop app's IPC boundary under hostile calls: a fuzz corpus (wrong types, huge payloads,
// unknown methods, prototype tricks) through handleCall, the one path every renderer call takes.
// A handler may run only with params its schema accepts; everything else is refused in one line.
// The preload must expose `peerlens.call` and `peerlens.onEvent` and nothing else.
import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { handleCall, type Handlers } from '../../src/main/ipc'
import { CALL_CHANNEL, EVENT_CHANNEL, MAX_MESSAGE_BYTES, type Method } from '../../src/shared/ipc'
import { callSchemas } from '../../src/main/ipcSchemas'

const trusted = { url: 'file:///app/out/renderer/index.html', mainFrame: true }
const trust = (s: { url: string; mainFrame: boolean }): boolean => s.mainFrame && s.url === trusted.url
const METHODS = Object.keys(callSchemas) as Method[]

/** Handlers that record what reached them. */
function recorder(): { handlers: Handlers; reached: Array<{ method: Method; params: unknown }> } {
  const reached: Array<{ method: Method; params: unknown }> = []
  const handlers = Object.fromEntries(METHODS.map((m) => [m, async (params: unknown) => (reached.push({ method: m, params }), null)])) as unknown as Handlers
  return { handlers, reached }
}

const big = 'x'.repeat(MAX_MESSAGE_BYTES)
const cyclic: Record<string, unknown> = {}
cyclic.self = cyclic

/** Calls that must all be refused before any handler runs. */
function corpus(): unknown[] {
  const tricks = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf']
  const out: unknown[] = [
    undefined, null, 0, 'app.info', [], ['app.info', {}], true, 1n, Symbol('x'), () => 1, new Date(), /re/, new Map(), cyclic,
    {}, { method: 1 }, { method: null }, { method: ['app.info'] }, { method: 'app.info', params: [] },
    { method: 'app.info', params: 'x' }, { method: 'app.info', params: {}, extra: 1 }, { method: 'app.info', params: { a: 1 } },
    { method: 'APP.INFO' }, { method: ' app.info' }, { method: 'app.info\0' }, { method: 'm'.repeat(65) }, { method: 'ipc.raw' },
    { method: 'shell.openExternal', params: { url: 'file:///etc/passwd' } }, { method: 'eval', params: { code: '1' } },
    { method: 'clipboard.write', params: { text: big } }, { method: 'join.start', params: { target: big } },
    { method: 'join.start', params: { target: 'x'.repeat(64 * 1024 + 1) } }, { method: 'join.start', params: { target: '   ' } },
    { method: 'join.start', params: { target: 42 } }, { method: 'session.cancel', params: { sessionId: '../../etc' } },
    { method: 'session.cancel', params: { sessionId: 'a'.repeat(65) } }, { method: 'report.render', params: { reportId: 'r', format: 'pdf' } },
    { method: 'report.save', params: { reportId: 'r', format: 'json', redact: 'yes' } },
    { method: 'host.start', params: { mode: 'embedded', host: '0.0.0.0; rm -rf /', port: 8080 } },
    { method: 'host.start', params: { mode: 'embedded', host: '127.0.0.1', port: 70000 } },
    { method: 'host.start', params: { mode: 'embedded', host: '127.0.0.1', port: 1.5 } },
    { method: 'host.start', params: { mode: 'remote', url: 'javascript:alert(1)' } },
    { method: 'host.start', params: { mode: 'remote', url: 'file:///etc/passwd' } },
    { method: 'host.start', params: { mode: 'shell' } }, { method: 'host.start', params: {} },
    { method: 'settings.set', params: { stun: Array.from({ length: 17 }, () => 'stun:x') } },
    { method: 'settings.set', params: { portTests: [0] } }, { method: 'settings.set', params: { turnPassword: 5 } },
    { method: 'settings.set', params: { excludedInterfaces: [''] } }, { method: 'settings.set', params: { admin: true } },
    { method: 'settings.set', params: { stun: [big] } }
  ]
  for (const t of tricks) {
    out.push({ method: t }, { method: t, params: {} })
    for (const m of ['app.info', 'settings.set', 'host.start'] as const) {
      out.push(JSON.parse(`{"method":"${m}","params":{"${t}":{"mode":"manual","admin":true}}}`))
      out.push(JSON.parse(`{"method":"${m}","${t}":{"params":{}}}`))
    }
  }
  out.push(JSON.parse('{"__proto__":{"method":"app.info"}}'), Object.create({ method: 'app.info', params: {} }))
  out.push(JSON.parse('{"method":"host.start","params":{"mode":"manual","__proto__":{"mode":"embedded"}}}'))
  return out
}

function label(message: unknown): string {
  try {
    return String(JSON.stringify(message)).slice(0, 120)
  } catch {
    return typeof message
  }
}

describe('IPC validators against hostile calls', () => {
  it('refuse every corpus call before a handler runs, in one line', async () => {
    const { handlers, reached } = recorder()
    const calls = corpus()
    for (const message of calls) {
      const result = await handleCall(handlers, trust, trusted, message)
      expect(result.ok, label(message)).toBe(false)
      if (!result.ok) expect(result.error).toMatch(/^refused: [^\n]+$/)
    }
    expect(reached).toEqual([])
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    console.log(`IPC: ${calls.length} hostile calls refused`)
  })

  it('refuse every call from an untrusted frame, however valid', async () => {
    const { handlers, reached } = recorder()
    for (const sender of [{ url: trusted.url, mainFrame: false }, { url: 'https://evil.example/', mainFrame: true }, { url: '', mainFrame: true }]) {
      expect((await handleCall(handlers, trust, sender, { method: 'app.info', params: {} })).ok).toBe(false)
    }
    expect(reached).toEqual([])
  })

  it('let a random call through only with params its schema accepts (fast-check)', async () => {
    const { handlers, reached } = recorder()
    const key = fc.oneof(fc.constantFrom('mode', 'host', 'port', 'url', 'target', 'sessionId', 'text', 'format', 'reportId', 'stun', '__proto__', 'constructor'), fc.string({ maxLength: 8 }))
    const value = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom('embedded', 'manual', 'remote', 'json', 'http://127.0.0.1:8080/', 'abc', 8080, 0, -1))
    const params = fc.oneof(fc.anything({ maxDepth: 3 }), fc.dictionary(key, value, { maxKeys: 5 }))
    const method = fc.oneof(fc.constantFrom(...METHODS), fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string({ maxLength: 20 }))
    let refused = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(method, params, async (m, p) => {
        runs++
        const before = reached.length
        const result = await handleCall(handlers, trust, trusted, { method: m, params: p })
        if (!result.ok) {
          refused++
          return reached.length === before && /^refused: [^\n]+$/.test(result.error)
        }
        // It ran: then the method is real and the params passed its schema.
        const last = reached[reached.length - 1]!
        return last.method === m && (callSchemas[m as Method].safeParse(p ?? {}).success)
      }),
      { numRuns: 2000, seed: 6 }
    )
    expect(refused).toBeGreaterThan(1000)
    console.log(`IPC: ${runs} random calls, ${refused} refused, ${runs - refused} valid ones reached their handler`)
  })
})

describe('the preload bridge', () => {
  it('exposes call and onEvent under window.peerlens, and nothing else', async () => {
    const exposed: Array<[string, unknown]> = []
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }))
    const on = vi.fn()
    const removeListener = vi.fn()
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.push([name, api]) },
      ipcRenderer: { invoke, on, removeListener, send: vi.fn(), sendSync: vi.fn() }
    }))
    await import('../../src/preload/index')
    expect(exposed.map(([n]) => n)).toEqual(['peerlens'])
    const api = exposed[0]![1] as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent'])
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype)
    // call goes to the one call channel, with the message shape the main process validates.
    await (api.call as (m: string, p: unknown) => Promise<unknown>)('app.info', {})
    expect(invoke).toHaveBeenCalledWith(CALL_CHANNEL, { method: 'app.info', params: {} })
    // onEvent listens on the one event channel and hands out the event, not Electron's IPC event.
    const seen: unknown[] = []
    const off = (api.onEvent as (l: (e: unknown) => void) => () => void)((e) => seen.push(e))
    expect(on).toHaveBeenCalledTimes(1)
    expect(on.mock.calls[0]![0]).toBe(EVENT_CHANNEL)
    const wrapped = on.mock.calls[0]![1] as (event: unknown, payload: unknown) => void
    wrapped({ sender: { send: () => {} }, ports: [] }, { type: 'menu', action: 'home' })
    expect(seen).toEqual([{ type: 'menu', action: 'home' }])
    off()
    expect(removeListener).toHaveBeenCalledWith(EVENT_CHANNEL, wrapped)
    vi.doUnmock('electron')
  })
})
