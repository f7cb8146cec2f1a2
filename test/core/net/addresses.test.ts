import { describe, expect, it } from 'vitest'
import { isPrivateAddress } from '../../../src/core/net/addresses'

describe('private addresses', () => {
  it.each(['10.1.2.3', '172.16.0.1', '172.31.255.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fe80::1', 'fd00::2', 'abc.local'])('%s is private', (a) => {
    expect(isPrivateAddress(a)).toBe(true)
  })
  it.each(['203.0.113.5', '172.32.0.1', '8.8.8.8', '2001:db8::1', '100.128.0.1'])('%s is not', (a) => {
    expect(isPrivateAddress(a)).toBe(false)
  })
})
