import { describe, expect, it } from 'vitest'
import { isRelayed, relayEnd } from '../../src/shared/path'

describe('is this relayed', () => {
  const host = { type: 'host', address: 'a' }
  const relay = { type: 'relay', address: 'r' }
  const remoteRelay = { type: 'relay', address: 'q' }
  it.each([
    [host, host, false, undefined],
    [relay, host, true, relay],
    [host, remoteRelay, true, remoteRelay],
    [relay, remoteRelay, true, relay],
    [{ type: 'srflx', address: 's' }, { type: 'prflx', address: 'p' }, false, undefined]
  ])('%j <-> %j', (local, remote, relayed, end) => {
    expect(isRelayed({ local, remote })).toBe(relayed)
    expect(relayEnd({ local, remote })).toBe(end)
  })
})
