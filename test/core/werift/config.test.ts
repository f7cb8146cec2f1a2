import { describe, expect, it } from 'vitest'
import { weriftConfig } from '../../../src/core/werift/config'

describe('werift configuration', () => {
  it('never hands werift an empty STUN list (it would use a public server)', () => {
    expect(() => weriftConfig({ stun: [], turn: [] })).toThrow(/STUN/)
    const c = weriftConfig({ stun: ['stun:127.0.0.1:3478'], turn: ['turn:127.0.0.1:3478'], turnUser: 'u', turnPass: 'p', transportPolicy: 'relay' })
    expect(c.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }, { urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'p' }])
    expect(c.iceTransportPolicy).toBe('relay')
  })
})
