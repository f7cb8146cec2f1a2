// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { App } from '../../src/renderer/src/App'
import { createAppStore } from '../../src/renderer/src/store/app'
import { StoreContext } from '../../src/renderer/src/store/context'
import { sessionFromReport } from '../../src/renderer/src/model/liveSession'
import { metricCards, type MetricCard } from '../../src/renderer/src/model/metrics'
import type { PathMeasurements } from '../../src/shared/report'
import { fakeBridge } from './bridge'
import { report } from './fixtures'
import { bothPaths, browserPath, fullPath, offPath, oldPath } from '../shared/format/measureFixtures'

afterEach(cleanup)

function cards(paths: PathMeasurements): MetricCard[] {
  return metricCards(sessionFromReport(report({ paths }), 'r', '/r.json'))
}

const byLabel = (list: MetricCard[], label: string): MetricCard => list.find((c) => c.label === label)!

describe('metrics cards', () => {
  it('shows the window, the bytes, the UDP rate and the data channel on the throughput card', () => {
    const t = byLabel(cards({ direct: fullPath() }), 'Throughput')
    expect(t.value).toBe('9.4 Mbit/s / 9.3 Mbit/s')
    expect(t.detail).toBe('host → joiner / joiner → host')
    expect(t.more).toEqual([
      '2.0 s window each way, one after the other, 2.4 MB / 2.3 MB',
      'paced UDP train, receiver-timed',
      'UDP under 1 % loss: 9.5 Mbit/s / 9.0 Mbit/s (capacity 9.7 Mbit/s / 9.6 Mbit/s)',
      'data channel: 8.0 Mbit/s / 7.6 Mbit/s'
    ])
    expect(t.bars.map((b) => b.label)).toEqual(['host → joiner', 'joiner → host', 'UDP <1 % loss, host → joiner', 'UDP <1 % loss, joiner → host'])
  })

  it('labels jitter as RFC 3550 when it is, and says what an older figure is', () => {
    expect(byLabel(cards({ direct: fullPath() }), 'Jitter (RFC 3550)')).toMatchObject({ value: '0.3 ms / 0.4 ms', detail: 'RFC 3550 interarrival jitter, host → joiner / joiner → host' })
    expect(byLabel(cards({ direct: oldPath() }), 'Jitter')).toMatchObject({ value: '3.4 ms', detail: 'direct path: round-trip jitter (mean change between pings, not RFC 3550)' })
    expect(byLabel(cards({ direct: fullPath() }), 'Loss').detail).toBe('498 of 500 probes answered (UDP echo train on the selected pair)')
  })

  it('one throughput card per path and the overhead ratio whenever both throughputs exist', () => {
    const list = cards(bothPaths())
    expect(list.map((c) => c.label)).toEqual(['RTT p50 / p95', 'Jitter (RFC 3550)', 'Loss', 'Throughput, direct path', 'Throughput, relay path', 'Relay overhead'])
    const o = byLabel(list, 'Relay overhead')
    expect(o).toMatchObject({ value: '+29 ms RTT', detail: 'relay throughput 33 % of direct' })
    expect(o.bars.map((b) => b.label)).toEqual(['direct, host → joiner', 'relay, host → joiner'])
    // No overhead record at all (an older relay record): still computed from the two throughputs.
    const noRecord = { ...bothPaths(), overhead: null }
    expect(byLabel(cards(noRecord), 'Relay overhead').value).toBe('+29 ms RTT')
  })

  it('says "off" with the reason, and points to Settings only when the user turned it off', () => {
    const off = byLabel(cards({ direct: offPath() }), 'Throughput')
    expect(off).toMatchObject({ value: 'off', detail: 'turned off (--throughput-mb 0)', action: 'settings' })
    const browser = byLabel(cards({ direct: browserPath() }), 'Throughput')
    expect(browser).toMatchObject({ value: 'off', detail: 'the other side does not answer throughput tests' })
    expect(browser.action).toBeUndefined()
    expect(byLabel(cards({ direct: fullPath() }), 'Relay overhead')).toMatchObject({ value: 'not measured', detail: 'needs both the direct and the relay path measured' })
  })

  it('renders the off state with a way to Settings, and the window and UDP rate on the dashboard', () => {
    const b = fakeBridge()
    const store = createAppStore(b)
    ;(window as { peerlens?: unknown }).peerlens = b
    render(
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    )
    act(() => store.setState({ session: sessionFromReport(report({ paths: { direct: offPath(), relay: fullPath('relay') } }), 'r', '/r.json'), screen: 'session' }))
    const off = screen.getByTestId('metric-Throughput, direct path')
    expect(off.textContent).toContain('turned off (--throughput-mb 0)')
    const relay = screen.getByTestId('metric-Throughput, relay path')
    expect(relay.textContent).toMatch(/2\.0 s window each way.*UDP under 1 % loss: 9\.5\u00a0Mbit\/s|UDP under 1 % loss: 9\.5 Mbit\/s/s)
    fireEvent.click(screen.getByRole('button', { name: 'Open Settings' }))
    expect(store.getState().screen).toBe('settings')
  })
})
