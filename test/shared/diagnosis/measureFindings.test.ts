import { describe, expect, it } from 'vitest'
import { directionFigures, limitFindings, overheadFindings, pathLimit, type DirectionFigures } from '../../../src/shared/diagnosis/measureFindings'
import { findings } from '../../../src/shared/diagnosis/findings'
import { fixtureReport } from '../../core/report/fixture'
import { bothPaths, browserPath, fullPath, offPath, oldPath } from '../format/measureFixtures'
import type { Report } from '../../../src/shared/report'

const M = 125_000 // 1 Mbit/s in bytes per second
const low = (mbit: number, lossPercent: number, sent = 1000): DirectionFigures['low'] => ({ offeredBps: mbit * M, lossPercent, sent })

describe('lossy bottleneck or slow stack', () => {
  it.each<[string, DirectionFigures, ReturnType<typeof pathLimit>]>([
    ['a clean 10 Mbit/s path: UDP, path and data channel agree', { udpMaxBps: 9.5 * M, low: low(5, 0), pathBps: 9.4 * M, stackBps: 8 * M }, null],
    ['loss at the lowest rate: lossy', { udpMaxBps: null, low: low(5, 2), pathBps: 9 * M, stackBps: 3 * M }, { kind: 'lossy-bottleneck', why: 'loss-at-low-rate', lossPercent: 2, atBps: 5 * M }],
    ['1 % exactly at the lowest rate counts', { udpMaxBps: null, low: low(1, 1), pathBps: null, stackBps: null }, { kind: 'lossy-bottleneck', why: 'loss-at-low-rate', lossPercent: 1, atBps: M }],
    ['too few packets to see 1 %: no judgement from that step', { udpMaxBps: null, low: low(1, 5, 20), pathBps: 9 * M, stackBps: 8 * M }, null],
    ['UDP under 1 % far below the path: lossy', { udpMaxBps: 2 * M, low: low(1, 0.5), pathBps: 9 * M, stackBps: 8 * M }, { kind: 'lossy-bottleneck', why: 'udp-far-below-path', udpMaxBps: 2 * M, pathBps: 9 * M }],
    ['UDP at half the path exactly is not "far below"', { udpMaxBps: 4.5 * M, low: low(1, 0), pathBps: 9 * M, stackBps: 4 * M }, null],
    ['data channel far below UDP: slow stack', { udpMaxBps: 95 * M, low: low(10, 0), pathBps: 94 * M, stackBps: 30 * M }, { kind: 'slow-stack', stackBps: 30 * M, udpMaxBps: 95 * M }],
    ['no data channel figure: nothing about the stack', { udpMaxBps: 95 * M, low: low(10, 0), pathBps: 94 * M, stackBps: null }, null],
    ['lossy wins when both hold (the network explains more)', { udpMaxBps: 2 * M, low: low(1, 0), pathBps: 9 * M, stackBps: 0.5 * M }, { kind: 'lossy-bottleneck', why: 'udp-far-below-path', udpMaxBps: 2 * M, pathBps: 9 * M }],
    ['no steps at all', { udpMaxBps: null, low: null, pathBps: 9 * M, stackBps: 1 * M }, null]
  ])('%s', (_name, figures, expected) => {
    expect(pathLimit(figures)).toEqual(expected)
  })

  it('reads a path: nothing from old reports, a browser joiner or a measurement turned off', () => {
    for (const p of [oldPath(), browserPath(), offPath()]) expect(directionFigures(p, 'hostToJoin')).toBeNull()
    expect(directionFigures(fullPath(), 'joinToHost')).toEqual({ udpMaxBps: 1_125_000, low: { offeredBps: 625_000, lossPercent: 0, sent: 1042 }, pathBps: 1_162_500, stackBps: 950_000 })
  })

  it('says it in plain words, both directions in one finding when they agree', () => {
    const r = fixtureReport()
    const slow = fullPath('direct', 10)
    slow.dataChannel!.hostToJoinBps = 3_000_000
    slow.dataChannel!.joinToHostBps = 2_000_000
    r.paths = { direct: slow }
    const [f, ...rest] = limitFindings(r)
    expect(rest).toEqual([])
    expect(f!.level).toBe('info')
    expect(f!.text).toBe('The direct path: host→joiner, UDP crosses at 95.0 Mbit/s with under 1 % loss but the data channel carried only 24.0 Mbit/s; joiner→host, UDP crosses at 90.0 Mbit/s with under 1 % loss but the data channel carried only 16.0 Mbit/s. A slow stack, not the network: the limit is the WebRTC data channel at the ends, and a UDP tunnel such as WireGuard can go faster on this path.')
    const lossy = fullPath('relay')
    lossy.udp!.hostToJoin!.steps[0]!.lossPercent = 2.5
    r.paths = { relay: lossy }
    expect(limitFindings(r)).toEqual([{ level: 'warn', text: 'The relay path: host→joiner, UDP already loses 2.5 % at 5.0 Mbit/s. A lossy bottleneck in the network (a lossy link, a policer or a congested hop), not a slow stack: WireGuard on this path will see this loss too.' }])
  })

  it('the relay overhead finding reads the ratio whenever both paths were measured', () => {
    const r: Report = fixtureReport()
    r.paths = bothPaths()
    expect(overheadFindings(r)[0]).toEqual({ level: 'info', text: 'The relay costs +29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host.' })
    expect(findings(r).map((f) => f.text)).toContain('The relay costs +29.1 ms round trip; relay throughput 33 % of direct host→joiner, 33 % joiner→host.')
    r.paths = { direct: fullPath(), relay: offPath('relay') }
    expect(overheadFindings(r).map((f) => f.text).join(' ')).not.toContain('relay throughput')
  })
})
