// A fake window.peerlens: records calls, answers from a table, pushes events on demand.
import type { AppEvent, Method, PeerlensBridge } from '../../src/shared/ipc'

export interface FakeBridge extends PeerlensBridge {
  calls: Array<{ method: Method; params: unknown }>
  answers: Partial<Record<Method, (params: unknown) => unknown>>
  push(event: AppEvent): void
}

export function fakeBridge(answers: FakeBridge['answers'] = {}): FakeBridge {
  const listeners = new Set<(e: AppEvent) => void>()
  const b: FakeBridge = {
    calls: [],
    answers: {
      'report.formats': () => ['json'],
      'settings.get': () => ({ stun: [], turn: [], turnUser: '', turnPasswordSet: false, passwordStorable: true, lastHost: '0.0.0.0:8080', excludedInterfaces: [], natServers: [], natOnSession: true, portTests: [], includeVpn: false, offline: true, portMapping: false, throughput: true, throughputMb: null }),
      'net.interfaces': () => [],
      ...answers
    },
    call: (async (method: Method, params: unknown) => {
      b.calls.push({ method, params })
      const answer = b.answers[method]
      if (!answer) return null
      return answer(params)
    }) as PeerlensBridge['call'],
    onEvent: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    push: (e) => listeners.forEach((l) => l(e))
  }
  return b
}
