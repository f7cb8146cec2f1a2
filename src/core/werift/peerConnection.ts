import { RTCPeerConnection, type CandidatePair } from 'werift'
import type { CandidateInfo, SelectedPair } from '../../shared/session'
import { parseCandidateLine } from '../../shared/protocol/candidateLine'
import type { IceOptions } from '../peer/iceConfig'
import { weriftConfig } from './config'
import { candidateRef } from './candidates'

/** A peer connection for one ICE attempt: `keep` decides which candidate pairs werift may check. */
export function attemptConnection(ice: IceOptions, policy: 'all' | 'relay', keep: (pair: CandidatePair) => boolean): RTCPeerConnection {
  return new RTCPeerConnection({ ...weriftConfig({ ...ice, transportPolicy: policy }), iceFilterCandidatePair: keep })
}

/** werift's check list (its candidate pairs), which it exposes only on the ICE connection. */
export function checkList(pc: RTCPeerConnection): CandidatePair[] {
  return pc.iceTransports[0]?.connection.checkList ?? []
}

/** The pair ICE nominated, once it has. */
export function nominatedPair(pc: RTCPeerConnection): CandidatePair | undefined {
  return pc.iceTransports[0]?.connection.nominated
}

/** The pair in use: the nominated one, else the transport's selected pair; null before either exists. */
export function selectedPairOf(pc: RTCPeerConnection): SelectedPair | null {
  const transport = pc.iceTransports[0]
  const nominated = transport?.connection.nominated
  if (nominated) return { local: candidateRef(nominated.localCandidate), remote: candidateRef(nominated.remoteCandidate) }
  const pair = transport?.getSelectedCandidatePair()
  const local = pair && parseCandidateLine(pair.local.candidate, 0)
  const remote = pair && parseCandidateLine(pair.remote.candidate, 0)
  return local && remote ? { local: strip(local), remote: strip(remote) } : null
}

function strip(c: CandidateInfo): SelectedPair['local'] {
  return { type: c.type, protocol: c.protocol, address: c.address, port: c.port }
}
