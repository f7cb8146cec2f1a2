// werift's STUN codec, loaded on its own.
//
// werift's package exports only its full entry, which loads the whole WebRTC stack (DTLS, SCTP, RTP,
// ...): about 0.25 s of a `peerlens nat` run that otherwise takes well under a second. Discovery needs
// only the STUN message codec, so we load werift's two STUN files directly, by path, and fall back to
// the full entry if a future werift moves them. Both routes give the objects of werift's CommonJS
// build; other modules importing 'werift' get its ESM build (other class objects, same wire format:
// only bytes cross between them).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as Werift from 'werift'

export type StunCodec = Pick<typeof Werift, 'Message' | 'parseMessage' | 'classes' | 'methods' | 'COOKIE' | 'HEADER_LENGTH' | 'isComprehensionRequiredAttribute'>
/** werift's STUN message (requests the server checks build, responses they read). */
export type StunMessage = Werift.Message

const require = createRequire(import.meta.url)

function isCodec(m: Partial<StunCodec>): m is StunCodec {
  return (
    typeof m.Message === 'function' &&
    typeof m.parseMessage === 'function' &&
    typeof m.isComprehensionRequiredAttribute === 'function' &&
    typeof m.COOKIE === 'number' &&
    typeof m.HEADER_LENGTH === 'number' &&
    typeof m.classes === 'object' &&
    typeof m.methods === 'object'
  )
}

/** How the codec was loaded: 'direct' (the two STUN files) or 'full' (werift's entry). */
export let codecSource: 'direct' | 'full' = 'full'

function load(): StunCodec {
  try {
    // .../werift/lib/webrtc/src/index.js -> .../werift/lib/ice-server/src/stun/
    const stunDir = join(dirname(require.resolve('werift')), '../../ice-server/src/stun')
    const codec = { ...require(join(stunDir, 'const.js')), ...require(join(stunDir, 'message.js')) } as Partial<StunCodec>
    if (isCodec(codec)) {
      codecSource = 'direct'
      return codec
    }
  } catch {
    // fall through to the full entry
  }
  const full = require('werift') as StunCodec
  codecSource = 'full'
  return full
}

export const codec: StunCodec = load()
