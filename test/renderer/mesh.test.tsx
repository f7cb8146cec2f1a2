// @vitest-environment jsdom
// The Mesh screen: its view model (grid, tones, summary, the form's one-line problems) and the
// screen itself with a fake bridge: the form, the matrix cells as buttons, a pair's reason, changes, errors.
import { afterEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { App } from '../../src/renderer/src/App'
import { createAppStore } from '../../src/renderer/src/store/app'
import { StoreContext } from '../../src/renderer/src/store/context'
import { meshFormProblem, meshGrid, meshSummary, meshTone } from '../../src/renderer/src/model/mesh'
import type { Matrix } from '../../src/shared/mesh/matrix'
import type { MeshView } from '../../src/shared/ipc'
import { fakeBridge, type FakeBridge } from './bridge'

afterEach(cleanup)

const MATRIX: Matrix = {
  peers: ['alice', 'bob', 'carol'],
  pairs: [
    { a: 'alice', b: 'bob', verdict: 'direct', at: '2026-11-30T11:24:30.101Z', rttMs: 1.1, reason: 'the two sides reach each other without a relay' },
    { a: 'alice', b: 'carol', verdict: 'relayed', at: '2026-11-30T11:24:31.000Z', rttMs: 41, reason: 'only a TURN relay worked' },
    { a: 'bob', b: 'carol', verdict: 'untested', at: null, rttMs: null, reason: 'not tested yet' }
  ]
}

describe('the mesh view model', () => {
  it('lays the pairs out as the CLI\'s grid, symmetric, with tones by verdict', () => {
    const grid = meshGrid(MATRIX)
    expect(grid.map((row) => row.map((c) => c.label))).toEqual([
      ['–', 'direct', 'relayed'],
      ['direct', '–', 'untested'],
      ['relayed', 'untested', '–']
    ])
    expect(grid.map((row) => row.map((c) => c.tone))).toEqual([
      ['pending', 'direct', 'relayed'],
      ['direct', 'pending', 'pending'],
      ['relayed', 'pending', 'pending']
    ])
    expect(grid[2]![0]!.pair).toBe(MATRIX.pairs[1])
    expect(grid[0]![1]!.title).toBe('alice ↔ bob: direct, rtt 1.1 ms, tested 2026-11-30 11:24:30Z')
    expect(meshTone('tunneled')).toBe('tunneled')
    expect(meshTone('something new')).toBe('pending')
  })

  it('sums the group up in one line', () => {
    expect(meshSummary(MATRIX)).toBe('3 agents, 3 pairs: 1 direct, 1 relayed, 1 untested')
    expect(meshSummary({ peers: ['solo'], pairs: [] })).toBe('1 agent, no pair yet')
    expect(meshSummary({ peers: [], pairs: [] })).toBe('no agents in this group')
  })

  it('names the form\'s first problem in one line', () => {
    const ok = { signal: 'http://server:8080/', group: 'office', secret: '12345678' }
    expect(meshFormProblem(ok)).toBe('')
    expect(meshFormProblem({ ...ok, signal: ' ' })).toMatch(/^the signaling server is needed/)
    expect(meshFormProblem({ ...ok, signal: 'server:8080' })).toMatch(/starts with http:\/\/ or https:\/\//)
    expect(meshFormProblem({ ...ok, signal: 'not a url' })).toMatch(/^the signaling server is a URL/)
    expect(meshFormProblem({ ...ok, group: '' })).toBe('the group name is needed')
    expect(meshFormProblem({ ...ok, group: '-x' })).toMatch(/^a group name is 1 to 64/)
    expect(meshFormProblem({ ...ok, secret: '' })).toMatch(/^the group secret is needed/)
    expect(meshFormProblem({ ...ok, secret: 'short' })).toBe('the group secret has at least 8 characters')
  })
})

function mount(b: FakeBridge): void {
  ;(window as { peerlens?: unknown }).peerlens = b
  render(
    <StoreContext.Provider value={createAppStore(b)}>
      <App />
    </StoreContext.Provider>
  )
  fireEvent.click(screen.getByRole('button', { name: 'Mesh' }))
}

function fill(signal: string, group: string, secret: string): void {
  fireEvent.change(screen.getByLabelText('Signaling server'), { target: { value: signal } })
  fireEvent.change(screen.getByLabelText('Group'), { target: { value: group } })
  fireEvent.change(screen.getByLabelText('Group secret'), { target: { value: secret } })
}

describe('the Mesh screen', () => {
  it('reads the matrix, opens a pair\'s result from its cell, and lists the changes', async () => {
    const view: MeshView = {
      signal: 'http://127.0.0.1:8080/',
      group: 'office',
      readAt: '2026-11-30T11:30:00.000Z',
      matrix: MATRIX,
      changes: [{ at: '2026-11-30T11:24:31.000Z', kind: 'verdict', subject: 'alice ↔ carol', before: 'direct', after: 'relayed', reason: 'only a TURN relay worked', text: 'alice ↔ carol: direct → relayed (only a TURN relay worked)' }]
    }
    const b = fakeBridge({ 'mesh.matrix': () => view })
    mount(b)
    fill('http://127.0.0.1:8080/', 'office', 'a long group secret')
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show the matrix' })))
    expect(b.calls.find((c) => c.method === 'mesh.matrix')?.params).toEqual({ signal: 'http://127.0.0.1:8080/', group: 'office', secret: 'a long group secret' })
    const table = within(screen.getByTestId('mesh-matrix'))
    expect(table.getByText('3 agents, 3 pairs: 1 direct, 1 relayed, 1 untested; read 2026-11-30 11:30:00Z')).toBeTruthy()
    // Every pair's cell is a button (twice: above and below the diagonal), so the keyboard reaches it.
    const cell = table.getAllByRole('button', { name: /^alice ↔ carol: relayed/ })
    expect(cell).toHaveLength(2)
    expect(cell[0]!.closest('td')!.className).toContain('tone-relayed')
    fireEvent.click(cell[1]!)
    const pair = within(screen.getByTestId('mesh-pair'))
    expect(pair.getByText('alice ↔ carol: relayed')).toBeTruthy()
    expect(pair.getByText('only a TURN relay worked')).toBeTruthy()
    expect(within(screen.getByTestId('mesh-changes')).getByText(/alice ↔ carol: direct → relayed/)).toBeTruthy()
  })

  it('says what is wrong in one line: the form before calling, the server\'s refusal after', async () => {
    const b = fakeBridge({
      'mesh.matrix': () => {
        throw new Error('wrong group secret for group office')
      }
    })
    mount(b)
    fill('http://127.0.0.1:8080/', 'office', 'short')
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show the matrix' })))
    expect(screen.getByTestId('mesh-error').textContent).toBe('the group secret has at least 8 characters')
    expect(b.calls.some((c) => c.method === 'mesh.matrix')).toBe(false)
    fill('http://127.0.0.1:8080/', 'office', 'the wrong secret')
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Show the matrix' })))
    expect(screen.getByTestId('mesh-error').textContent).toBe('wrong group secret for group office')
    expect(screen.queryByTestId('mesh-matrix')).toBeNull()
  })
})
