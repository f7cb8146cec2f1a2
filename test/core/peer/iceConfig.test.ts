import { describe, expect, it } from 'vitest'
import { normalizeIceUrl } from '../../../src/core/peer/iceConfig'

describe('ICE server URLs', () => {
  it.each([
    ['stun', 'stun:192.0.2.1:3478', 'stun:192.0.2.1:3478'],
    ['stun', '192.0.2.1:3478', 'stun:192.0.2.1:3478'],
    ['stun', 'stun.example.org', 'stun:stun.example.org:3478'],
    ['stun', 'stun:[2001:db8::1]:19302', 'stun:[2001:db8::1]:19302'],
    ['turn', 'turn:192.0.2.1:3478?transport=tcp', 'turn:192.0.2.1:3478?transport=tcp'],
    ['turn', 'turns:turn.example.org', 'turns:turn.example.org:5349'],
    ['turn', '192.0.2.1:3478', 'turn:192.0.2.1:3478']
  ] as const)('%s %s -> %s', (kind, input, expected) => {
    expect(normalizeIceUrl(kind, input)).toBe(expected)
  })

  it.each([
    ['stun', 'http://x'],
    ['stun', 'turn:1.2.3.4:3478'],
    ['stun', 'stun:host:99999'],
    ['turn', 'turn:host:3478?transport=sctp'],
    ['stun', 'stun:bad host:1']
  ] as const)('refuses %s %s', (kind, input) => {
    expect(() => normalizeIceUrl(kind, input)).toThrow()
  })
})
