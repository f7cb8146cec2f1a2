import { describe, expect, it } from 'vitest'
import { pairStateText, uncheckedWhy } from '../../src/shared/pairs'

describe('pairs never checked', () => {
  it.each([
    // requestsSent, state, connected, ended, expected
    [0, 'failed', true, false, 'another-pair-won'],
    [0, 'frozen', true, true, 'another-pair-won'],
    [0, 'failed', false, true, 'attempt-ended'],
    [0, 'waiting', false, false, undefined],
    [3, 'failed', true, false, undefined],
    [0, 'succeeded', true, false, undefined],
    [0, 'in-progress', true, false, undefined]
  ] as const)('%d checks, %s, connected %s, ended %s: %s', (requestsSent, state, connected, ended, expected) => {
    expect(uncheckedWhy({ requestsSent, state }, { connected, ended })).toBe(expected)
  })

  it('is shown as not checked, with why, never as failed', () => {
    expect(pairStateText({ state: 'failed', unchecked: 'another-pair-won' })).toBe('not checked (another pair won first)')
    expect(pairStateText({ state: 'failed', unchecked: 'attempt-ended' })).toBe('not checked (the attempt ended first)')
    expect(pairStateText({ state: 'failed' })).toBe('failed')
  })
})
