import { describe, expect, it, vi } from 'vitest'
import { handleCall, messageSize, type Handlers } from '../../src/main/ipc'
import { MAX_MESSAGE_BYTES } from '../../src/shared/ipc'
import { callSchemas } from '../../src/main/ipcSchemas'

const trusted = { url: 'file:///app/out/renderer/index.html', mainFrame: true }
const trust = (s: { url: string; mainFrame: boolean }): boolean => s.mainFrame && s.url === trusted.url

/** Every handler is a spy that must not be reached unless a test says so. */
type Spy = ReturnType<typeof vi.fn<(p: unknown) => Promise<unknown>>>

function spies(): Record<string, Spy> {
  const out: Record<string, Spy> = {}
  for (const name of Object.keys(callSchemas)) out[name] = vi.fn(async (_p: unknown): Promise<unknown> => ({ sessionId: 'abc' }))
  return out
}

const call = (h: Record<string, Spy>, sender: { url: string; mainFrame: boolean }, message: unknown) => handleCall(h as unknown as Handlers, trust, sender, message)

function noHandlerRan(h: Record<string, Spy>): void {
  for (const fn of Object.values(h)) expect(fn).not.toHaveBeenCalled()
}

describe('handleCall: the main-process boundary', () => {
  it('passes a valid call to its handler with the parsed params', async () => {
    const h = spies()
    const r = await call(h, trusted, { method: 'join.start', params: { target: '  http://a:1/join/r#s  ' } })
    expect(r).toEqual({ ok: true, value: { sessionId: 'abc' } })
    // zod trimmed the target: the handler sees the parsed value, not the raw one.
    expect(h['join.start']).toHaveBeenCalledWith({ target: 'http://a:1/join/r#s' })
  })

  it.each([
    ['an untrusted frame', { url: 'https://evil.example/', mainFrame: true }, /untrusted frame/],
    ['a subframe of our page', { url: trusted.url, mainFrame: false }, /untrusted frame/]
  ])('refuses %s', async (_name, sender, error) => {
    const h = spies()
    const r = await call(h, sender, { method: 'app.info', params: {} })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatch(error)
    noHandlerRan(h)
  })

  it.each([
    ['an unknown method', { method: 'fs.readFile', params: {} }, /unknown method/],
    ['a prototype name', { method: 'constructor', params: {} }, /unknown method/],
    ['__proto__', { method: '__proto__', params: {} }, /unknown method/],
    ['toString', { method: 'toString', params: {} }, /unknown method/],
    ['no envelope', 'host.start', /a call is/],
    ['extra envelope fields', { method: 'app.info', params: {}, extra: 1 }, /a call is/],
    ['a non-string method', { method: 42, params: {} }, /a call is/],
    ['extra params', { method: 'app.info', params: { x: 1 } }, /bad params/],
    ['a wrong type', { method: 'join.start', params: { target: 42 } }, /bad params.*target/],
    ['an empty target', { method: 'join.start', params: { target: '   ' } }, /bad params/],
    ['a port out of range', { method: 'host.start', params: { mode: 'embedded', host: '0.0.0.0', port: 70000 } }, /bad params/],
    ['an unknown host mode', { method: 'host.start', params: { mode: 'evil' } }, /bad params/],
    ['a shell-ish host', { method: 'host.start', params: { mode: 'embedded', host: 'a b;rm', port: 1 } }, /bad params/],
    ['a file: signaling URL', { method: 'host.start', params: { mode: 'remote', url: 'file:///etc/passwd' } }, /bad params/],
    ['a bad session id', { method: 'session.cancel', params: { sessionId: '../x' } }, /bad params/],
    ['an unknown report format', { method: 'report.save', params: { reportId: 'a', format: 'exe' } }, /bad params/],
    ['an unknown settings key', { method: 'settings.set', params: { evil: true } }, /bad params/],
    ['a port test out of range', { method: 'settings.set', params: { portTests: [0] } }, /bad params/],
    ['too many STUN servers', { method: 'settings.set', params: { stun: Array(40).fill('stun:a:1') } }, /bad params/],
    ['an oversized blob', { method: 'manual.answer', params: { sessionId: 'a', blob: 'x'.repeat(70_000) } }, /bad params/]
  ])('refuses %s and runs nothing', async (_name, message, error) => {
    const h = spies()
    const r = await call(h, trusted, message)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatch(error)
    noHandlerRan(h)
  })

  it('refuses a message over the size limit before parsing it', async () => {
    const h = spies()
    const r = await call(h, trusted, { method: 'clipboard.write', params: { text: 'x'.repeat(MAX_MESSAGE_BYTES) } })
    expect(!r.ok && r.error).toMatch(/byte limit/)
    noHandlerRan(h)
  })

  it('refuses what is not plain JSON data', async () => {
    const cyclic: Record<string, unknown> = { method: 'app.info' }
    cyclic['params'] = cyclic
    const h = spies()
    for (const message of [cyclic, { method: 'app.info', params: { n: 1n } }, undefined]) {
      const r = await call(h, trusted, message)
      expect(r.ok).toBe(false)
    }
    noHandlerRan(h)
    expect(messageSize({ a: 'é' })).toBe(10)
  })

  it('turns a handler failure into a one-line error', async () => {
    const h = spies()
    h['session.cancel']!.mockRejectedValueOnce(new Error('no such session running\n  at stack'))
    const r = await call(h, trusted, { method: 'session.cancel', params: { sessionId: 'abc' } })
    expect(r).toEqual({ ok: false, error: 'no such session running' })
  })

  it('treats missing params as empty', async () => {
    const h = spies()
    const r = await call(h, trusted, { method: 'app.info' })
    expect(r.ok).toBe(true)
  })
})
