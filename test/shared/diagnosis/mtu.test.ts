import { describe, expect, it } from 'vitest'
import { mtuLevel } from '../../../src/shared/diagnosis/mtu'

describe('path MTU levels', () => {
  it.each([
    [1500, 'ok'],
    [9000, 'ok'],
    [1420, 'warn'],
    [1280, 'warn'],
    [1279, 'bad']
  ] as const)('%i is %s', (mtu, level) => expect(mtuLevel(mtu)).toBe(level))
})
