// The werift classes and types the rest of the engine uses: everything outside src/core/werift
// imports werift through here, so one folder owns the dependency.
export { RTCPeerConnection } from 'werift'
export type { CandidatePair, RTCDataChannel, RTCPeerConnectionConfig } from 'werift'
