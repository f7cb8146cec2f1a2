import { describe, expect, it } from 'vitest'
import { parseJsonObject } from '../../src/shared/jsonObject'

describe('parseJsonObject', () => {
  it.each([
    ['{"t":"ping","id":1}', { t: 'ping', id: 1 }],
    ['{}', {}],
    ['[1,2]', undefined],
    ['null', undefined],
    ['42', undefined],
    ['"text"', undefined],
    ['{"t":', undefined],
    ['', undefined]
  ])('%s', (text, expected) => {
    expect(parseJsonObject(text)).toEqual(expected)
  })
})
