import { describe, expect, it } from 'vitest'
import { serverProblems } from '../../src/main/serverFields'

describe('settings server lists checked at save', () => {
  it('names each bad field once, in the CLI’s words, and passes good lists', () => {
    expect(serverProblems({ stun: ['stun:s.example:3478', 's2.example'], turn: ['turn:t.example:3478?transport=tcp'], natServers: ['nat.example:3478'] })).toBe('')
    expect(serverProblems({ stun: ['http://x', 'also bad'], turn: ['turn:t:0'], natServers: ['turns:n'] })).toBe(
      'STUN servers: bad stun server address "http://x": expected HOST:PORT; TURN servers: bad port in "turn:t:0"; NAT servers: NAT discovery needs a plain UDP STUN server (stun:HOST:PORT), got "turns:n"'
    )
    expect(serverProblems({ natOnSession: false })).toBe('')
  })
})
