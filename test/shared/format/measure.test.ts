import { describe, expect, it } from 'vitest'
import { byteCount, jitterText, verdictTimingText, lossText, overheadText, pathRows, pathSummaryLines, relayOverhead, throughputText, udpText } from '../../../src/shared/format/measure'
import { bothPaths, browserPath, fullPath, offPath, oldPath } from './measureFixtures'

describe('path measurements in words', () => {
  it('says throughput each way with its window and bytes, and the method', () => {
    expect(throughputText(fullPath().throughput)).toBe('9.4 Mbit/s host→joiner (2.0 s, 2.4 MB), 9.3 Mbit/s joiner→host (2.0 s, 2.3 MB)')
    const rows = Object.fromEntries(pathRows(fullPath()))
    expect(rows.measured).toBe('one direction after the other (independent figures), 2.0 s window, at most 4.2 MB each way; paced UDP train, receiver-timed')
    expect(rows['data channel']).toBe('8.0 Mbit/s host→joiner (2.0 s, 2.0 MB), 7.6 Mbit/s joiner→host (2.0 s, 1.9 MB)')
  })

  it('says the highest UDP rate under 1 % loss and the capacity each way, and when even the lowest rate lost', () => {
    expect(udpText(fullPath().udp)).toBe('9.5 Mbit/s host→joiner (capacity 9.7 Mbit/s), 9.0 Mbit/s joiner→host (capacity 9.6 Mbit/s)')
    const lossy = fullPath()
    lossy.udp!.hostToJoin = { maxRateBps: null, capacityBps: null, steps: [{ offeredBps: 625_000, deliveredBps: 600_000, sent: 1000, received: 970, lossPercent: 3, ms: 400 }] }
    expect(udpText(lossy.udp)).toMatch(/^none host→joiner: even 5\.0 Mbit\/s lost 3 %, 9\.0 Mbit\/s joiner→host/)
  })

  it('gives loss with its probe count and method, RTT percentiles, and jitter labelled for what it is', () => {
    expect(lossText(fullPath())).toBe('0.4 % of 500 (UDP echo train on the selected pair)')
    expect(lossText(oldPath())).toBe('5 % of 20 pings on the data channel')
    expect(lossText({ ...fullPath(), lossOneWay: { hostToJoinPercent: 0.4, joinToHostPercent: 0 } })).toBe('0.4 % of 500 (UDP echo train on the selected pair); 0.4 % host→joiner, 0 % joiner→host')
    expect(jitterText(fullPath())).toBe('RFC 3550 interarrival jitter: 0.3 ms host→joiner, 0.4 ms joiner→host')
    // An older report's jitter is the mean change of consecutive round trips: it must not pass as RFC 3550.
    expect(jitterText(oldPath())).toBe('3.4 ms round trip (mean change between consecutive pings, not RFC 3550)')
    expect(Object.fromEntries(pathRows(fullPath()))['round trip']).toBe('p50 11.3 ms, p95 14.8 ms')
  })

  it('reads old reports, a browser joiner and a measurement turned off without inventing figures', () => {
    expect(Object.fromEntries(pathRows(oldPath()))).toEqual({
      throughput: '43.2 Mbit/s host→joiner, 24.8 Mbit/s joiner→host',
      measured: 'one direction after the other (independent figures), at most 8.4 MB each way',
      loss: '5 % of 20 pings on the data channel',
      'round trip': 'p50 41 ms, p95 52.7 ms',
      jitter: '3.4 ms round trip (mean change between consecutive pings, not RFC 3550)'
    })
    const browser = Object.fromEntries(pathRows(browserPath()))
    expect(browser.throughput).toBe('off: the other side does not answer throughput tests')
    expect(browser).not.toHaveProperty('UDP under 1 % loss')
    expect(browser.loss).toBe('0 % of 20 (pings on the data channel)')
    const off = Object.fromEntries(pathRows(offPath()))
    expect(off.throughput).toBe('off: turned off (--throughput-mb 0)')
    expect(off['UDP under 1 % loss']).toBe('off: turned off (--throughput-mb 0)')
    expect(off).not.toHaveProperty('measured')
  })

  it('computes the relay overhead each way whenever both paths have a throughput figure, even when the record lacks the ratio', () => {
    const o = relayOverhead(bothPaths())!
    expect(o.extraRttMs).toBe(29.1)
    expect(o.hostToJoin).toBeCloseTo(1 / 3)
    expect(o.joinToHost).toBeCloseTo(1 / 3)
    expect(overheadText(o)).toBe('+29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host')
    // No overhead record at all: the extra round trip from the two p50s.
    const noRecord = { ...bothPaths(), overhead: undefined }
    expect(relayOverhead(noRecord)!.extraRttMs).toBe(29.1)
    // One path only, or a path turned off: no ratio.
    expect(relayOverhead({ direct: fullPath() })).toBeNull()
    expect(relayOverhead({ direct: offPath('direct'), relay: offPath('relay') })!.hostToJoin).toBeNull()
    expect(overheadText({ extraRttMs: null, hostToJoin: 0.034, joinToHost: null })).toBe('relay throughput 3.4 % of direct host→joiner')
  })

  it('prints every path and the overhead line for the CLI', () => {
    const lines = pathSummaryLines(bothPaths())
    expect(lines[0]).toBe('direct path:')
    expect(lines).toContain('  throughput: 9.4 Mbit/s host→joiner (2.0 s, 2.4 MB), 9.3 Mbit/s joiner→host (2.0 s, 2.3 MB)')
    expect(lines).toContain('relay path:')
    expect(lines.at(-1)).toBe('relay overhead: +29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host')
    expect(pathSummaryLines({ direct: { ...browserPath(), rtt: null, jitterMs: null, probesSent: 0, error: 'no direct pair succeeded' } })).toEqual(['direct path: no direct pair succeeded', '  throughput: off: the other side does not answer throughput tests'])
  })

  it('writes byte counts in decimal units', () => {
    expect([byteCount(2_350_000), byteCount(775_000), byteCount(900), byteCount(null)]).toEqual(['2.4 MB', '775 kB', '900 B', '-'])
  })

  it('says when the verdict came and when the measurements ended, only what the report has', () => {
    expect(verdictTimingText({ verdictAfterMs: 520, measuredAfterMs: 7900 })).toBe('verdict after 0.52 s; measurements done after 7.9 s')
    expect(verdictTimingText({ verdictAfterMs: 1234 })).toBe('verdict after 1.23 s')
    expect(verdictTimingText({ measuredAfterMs: 8500 })).toBe('measurements done after 8.5 s')
    expect(verdictTimingText({})).toBeNull()
  })
})
