import { describe, expect, it } from 'vitest'
import { readSignal } from '../../../src/shared/protocol/messages'
import { isVersionMismatch, readHello } from '../../../src/shared/protocol/hello'
import { readPeerNat } from '../../../src/shared/protocol/nat'

describe('readSignal', () => {
  const nat = { mapping: 'endpoint-independent', filtering: 'address-dependent', classic: 'restricted-cone', reason: 'r' }
  it.each([
    ['offer', { type: 'offer', sdp: 'v=0' }, { kind: 'offer', attempt: 1, sdp: 'v=0' }],
    ['relay-offer', { sdp: 'v=0' }, { kind: 'offer', attempt: 2, sdp: 'v=0' }],
    ['answer', null, { kind: 'answer', attempt: 1, sdp: '' }],
    ['relay-answer', { sdp: 5 }, { kind: 'answer', attempt: 2, sdp: '5' }],
    ['candidate', null, { kind: 'candidate', attempt: 1, data: null }],
    ['relay-candidate', { candidate: 'c' }, { kind: 'candidate', attempt: 2, data: { candidate: 'c' } }],
    ['bye', {}, { kind: 'bye' }],
    ['bye', { reason: 'timed out' }, { kind: 'bye', reason: 'timed out' }],
    ['nat', { nat }, { kind: 'nat', nat }],
    ['nat', { nat: { mapping: 'weird' } }, { kind: 'nat', nat: null }],
    ['port-test', { ports: [] }, { kind: 'port-test', plan: undefined }],
    ['port-result', { port: 0 }, { kind: 'port-result', half: undefined }],
    ['chat', { text: 'hi' }, { kind: 'unknown' }]
  ])('%s %j', (type, data, signal) => {
    expect(readSignal(type, data)).toEqual(signal)
  })
})

describe('readHello', () => {
  it.each([
    [null, { name: 'unknown', version: 'unknown', features: [], portTests: [] }],
    [{ name: 'n', version: '1.0.0', features: ['nat', 3, 'turn'] }, { name: 'n', version: '1.0.0', features: ['nat', 'turn'], portTests: [] }],
    [{ name: 'x'.repeat(300), version: 'v'.repeat(100), portTests: [51820, 0, 'x', 70000, 9] }, { name: 'x'.repeat(128), version: 'v'.repeat(64), features: [], portTests: [51820, 9] }],
    [{ portTests: Array.from({ length: 20 }, (_, i) => 1000 + i) }, { name: 'unknown', version: 'unknown', features: [], portTests: [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007] }]
  ])('%#', (data, hello) => {
    expect(readHello(data as Record<string, unknown> | null)).toEqual(hello)
  })

  it.each([
    ['1.0.0', '1.0.0', false],
    ['1.0.0', 'unknown', false],
    ['1.0.0', '1.1.0', true]
  ])('%s against %s: mismatch %s', (own, peer, mismatch) => {
    expect(isVersionMismatch(own, peer)).toBe(mismatch)
  })
})

describe('readPeerNat', () => {
  it.each([
    [undefined, null],
    ['nat', null],
    [{ mapping: 'none', filtering: 'endpoint-independent', classic: 'open', reason: 'r' }, { mapping: 'none', filtering: 'endpoint-independent', classic: 'open', reason: 'r' }],
    [{ mapping: 'none', filtering: 'sometimes', classic: 'open', reason: 'r' }, null],
    [{ mapping: 'none', filtering: 'unknown', classic: 5, reason: 'r' }, null]
  ])('%#', (value, nat) => {
    expect(readPeerNat(value)).toEqual(nat)
  })
})
