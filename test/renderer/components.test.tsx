// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { App } from '../../src/renderer/src/App'
import { createAppStore, type AppStore } from '../../src/renderer/src/store/app'
import { StoreContext } from '../../src/renderer/src/store/context'
import { CandidateTable } from '../../src/renderer/src/components/CandidateTable'
import { VerdictBanner } from '../../src/renderer/src/components/VerdictBanner'
import { sessionFromReport } from '../../src/renderer/src/model/liveSession'
import { verdictView } from '../../src/renderer/src/model/verdict'
import { fakeBridge, type FakeBridge } from './bridge'
import { LOCAL, RELAY, report } from './fixtures'

afterEach(cleanup)

function mount(b: FakeBridge = fakeBridge()): { store: AppStore; b: FakeBridge } {
  const store = createAppStore(b)
  ;(window as { peerlens?: unknown }).peerlens = b
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  )
  return { store, b }
}

describe('Home', () => {
  it('enables Join only for an invite or a blob', () => {
    mount()
    const join = screen.getByTestId('join-button') as HTMLButtonElement
    const input = screen.getByTestId('join-input')
    expect(join.disabled).toBe(true)
    fireEvent.change(input, { target: { value: 'not an invite' } })
    expect(join.disabled).toBe(true)
    expect(screen.getByText(/neither an invite .* nor an offer blob/)).toBeTruthy()
    fireEvent.change(input, { target: { value: 'http://10.0.0.1:8080/join/abc#secret' } })
    expect(join.disabled).toBe(false)
  })

  it('refuses a bad listen address before calling the main process', () => {
    const { b } = mount()
    fireEvent.change(screen.getByLabelText('Listen address'), { target: { value: 'nonsense' } })
    fireEvent.click(screen.getByTestId('host-button'))
    expect(screen.getByRole('alert').textContent).toMatch(/HOST:PORT/)
    expect(b.calls.some((c) => c.method === 'host.start')).toBe(false)
  })

  it('hosts in manual mode with the chosen radio', () => {
    const { b } = mount(fakeBridge({ 'host.start': () => ({ sessionId: 's' }) }))
    fireEvent.click(screen.getByLabelText(/No server/))
    fireEvent.click(screen.getByTestId('host-button'))
    expect(b.calls.find((c) => c.method === 'host.start')?.params).toEqual({ mode: 'manual' })
  })
})

describe('dashboard', () => {
  it('shows an opened report: verdict, "not measured" NAT cards, candidates, selected pair', () => {
    const { store } = mount()
    act(() => store.setState({ session: sessionFromReport(report(), 'r', '/r.json'), screen: 'session' }))
    const page = document.body
    expect(within(screen.getByTestId('verdict')).getByText('Direct connection')).toBeTruthy()
    expect(within(screen.getByTestId('nat-this side (host)')).getByText('Not measured')).toBeTruthy()
    expect(within(screen.getByTestId('nat-other side (join)')).getByText('Not measured')).toBeTruthy()
    expect(within(screen.getByTestId('candidates-local')).getByText('192.168.1.2')).toBeTruthy()
    expect(page.querySelectorAll('[data-testid="pairs"] tr.selected')).toHaveLength(1)
    expect(within(screen.getByTestId('path')).getByText('direct path on the same network (no NAT between)')).toBeTruthy()
    expect(within(screen.getByTestId('prediction')).getByText('Prediction: not made')).toBeTruthy()
  })

  it('shows the host waiting screen with the invite until the joiner says hello', () => {
    const { store } = mount()
    act(() => {
      store.setState({ screen: 'session' })
      store.getState().handleEvent({ type: 'run', sessionId: 's', role: 'host', event: { kind: 'invite', atMs: 1, url: 'http://10.0.0.1:8080/join/r#s' } })
      store.getState().handleEvent({ type: 'run', sessionId: 's', role: 'host', event: { kind: 'address', atMs: 1, address: { name: 'wt0', address: '100.64.0.1', family: 4, internal: false, vpnLike: true }, url: 'http://100.64.0.1:8080/' } })
    })
    expect(screen.getByTestId('invite').textContent).toBe('http://10.0.0.1:8080/join/r#s')
    expect(screen.getByText('VPN')).toBeTruthy()
    act(() => store.getState().handleEvent({ type: 'run', sessionId: 's', role: 'host', event: { kind: 'peer-hello', atMs: 2, name: 'bob', version: '0.1.0', features: [] } }))
    expect(screen.queryByTestId('invite')).toBeNull()
    expect(screen.getByTestId('verdict')).toBeTruthy()
  })
})

describe('components', () => {
  it('filters the candidate table by type from the keyboard-reachable chips', () => {
    render(<CandidateTable title="Local candidates" candidates={[LOCAL, RELAY]} />)
    expect(screen.getAllByRole('row')).toHaveLength(3)
    const hostChip = screen.getByRole('button', { name: /^host 1/ })
    expect(hostChip.getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(hostChip)
    expect(hostChip.getAttribute('aria-pressed')).toBe('false')
    expect(screen.getAllByRole('row')).toHaveLength(2)
    expect(screen.getByText('198.51.100.7')).toBeTruthy()
  })

  it('flags a prediction the outcome contradicts', () => {
    const s = sessionFromReport(report({ prediction: { verdict: 'direct', reason: 'both endpoint-independent' } }), 'r', '/r')
    s.report!.connection.verdict = 'relayed'
    render(<VerdictBanner view={verdictView(s)} />)
    expect(screen.getByText('Predicted: direct')).toBeTruthy()
    expect(screen.getByText(/a firewall or a route is in the way/)).toBeTruthy()
  })
})

describe('settings', () => {
  it('refuses bad port numbers before saving, and saves good ones', async () => {
    const b = fakeBridge({ 'settings.set': (p) => ({ ...(b.answers['settings.get']!({}) as object), ...(p as object) }) })
    const { store } = mount(b)
    await act(async () => {
      await store.getState().init()
      store.getState().go('settings')
    })
    const ports = await screen.findByPlaceholderText('51820')
    fireEvent.change(ports, { target: { value: '51820, 70000' } })
    expect(screen.getByRole('alert').textContent).toMatch(/1 to 65535/)
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(b.calls.some((c) => c.method === 'settings.set')).toBe(false)
    fireEvent.change(ports, { target: { value: '51820 41641' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })))
    expect(b.calls.find((c) => c.method === 'settings.set')?.params).toMatchObject({ portTests: [51820, 41641] })
  })

  it('turns the throughput measurement off or caps it in MB, refusing a cap it cannot use', async () => {
    const b = fakeBridge({ 'settings.set': (p) => ({ ...(b.answers['settings.get']!({}) as object), ...(p as object) }) })
    const { store } = mount(b)
    await act(async () => {
      await store.getState().init()
      store.getState().go('settings')
    })
    const cap = (await screen.findByTestId('throughput-cap')) as HTMLInputElement
    fireEvent.change(cap, { target: { value: '0' } })
    expect(screen.getByRole('alert').textContent).toMatch(/untick the switch/)
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(b.calls.some((c) => c.method === 'settings.set')).toBe(false)
    fireEvent.change(cap, { target: { value: '1.5' } })
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })))
    expect(b.calls.filter((c) => c.method === 'settings.set').at(-1)?.params).toMatchObject({ throughput: true, throughputMb: 1.5 })
    fireEvent.click(screen.getByTestId('throughput-switch'))
    expect(cap.disabled).toBe(true)
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })))
    expect(b.calls.filter((c) => c.method === 'settings.set').at(-1)?.params).toMatchObject({ throughput: false })
  })
})
