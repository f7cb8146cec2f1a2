import type { RTCDataChannel, RTCPeerConnection } from '../werift/rtc'
import { attachThroughput } from '../measure/throughput'
import { attachUdpRate, udpRateEndpoint } from '../measure/udpRateTrain'
import { answerEchoTrains } from '../measure/echoTrain'
import { rawDatagrams } from '../werift/rawDatagrams'
import { tuneForMeasuring } from '../werift/tuning'

/**
 * Both sides answer every measurement on every attempt's channel, whoever drives it: the data
 * channel's bulk transfer, the paced UDP rate steps and the UDP echo train on the selected pair.
 */
export function answerMeasurements(dc: RTCDataChannel, pc: RTCPeerConnection, peerlensPair: Parameters<typeof tuneForMeasuring>[1]): void {
  // Large SCTP packets on loopback only toward peerlens itself (`peerlensPair`: the pair, when the
  // other side is peerlens): other stacks (pion) drop packets past their MTU.
  tuneForMeasuring(pc, peerlensPair)
  attachThroughput(dc)
  attachUdpRate(dc, () => rawDatagrams(pc))
  answerEchoTrains(dc, pc)
}

/** How long ago this channel last carried a throughput or UDP rate test (ms; Infinity when never). */
export function measurementIdleMs(dc: RTCDataChannel): number {
  return Math.min(attachThroughput(dc).idleMs, udpRateEndpoint(dc)?.idleMs ?? Infinity)
}
