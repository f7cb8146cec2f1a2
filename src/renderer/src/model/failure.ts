// A session that ended without a report, in plain words: what failed, what to do, and whether it
// was the user's own cancel (not an alarm).
import type { SessionEnd } from '../../../shared/ipc'
import type { Role } from '../../../shared/session'

export interface FailureView {
  /** cancelled: the user stopped it (neutral); failed: something went wrong (red). */
  tone: 'cancelled' | 'failed'
  title: string
  /** What failed, in plain words. */
  text: string
  /** What to try next. */
  hint: string
}

/** Engine errors that need a translation for people who are not reading the source. */
const PLAIN: Array<[RegExp, string, string]> = [
  [/fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|cannot reach/i, 'Could not reach the signaling server.', 'check the address in the invite, that the host is still hosting, and that no firewall blocks its port'],
  [/blob is damaged|blob/i, 'The offer blob is damaged.', 'copy all of it, on one line, and paste it again'],
  [/wrong room secret/i, 'The invite’s secret is wrong.', 'copy the whole invite, including the part after #'],
  [/unknown room/i, 'The room no longer exists.', 'the invite expired or the host stopped: ask for a new invite'],
  [/already has a joiner/i, 'Someone else already joined this room.', 'ask the host to start a new session'],
  [/cannot listen|EADDRINUSE|address already in use/i, 'The listen address is taken or not available.', 'pick another port (0 picks a free one) or stop the program using it'],
  [/(stun|turn) server|IceUrl|bad port in/i, 'A STUN or TURN server in the settings is not usable.', 'fix it in Settings'],
  [/timed out|timeout|no reply/i, 'The other side did not answer in time.', 'make sure the other laptop joined, then try again']
]

export function failureView(end: Extract<SessionEnd, { ok: false }>, role: Role): FailureView {
  if (end.code === 'cancelled') return { tone: 'cancelled', title: 'Cancelled', text: 'You stopped this session before it finished.', hint: 'start it again when both laptops are ready' }
  const match = PLAIN.find(([re]) => re.test(end.error))
  const what = role === 'host' ? 'Hosting' : 'Joining'
  const title = end.code === 'no-reply' ? `${what} failed: no reply` : end.code === 'bad-input' ? `${what} could not start` : `${what} failed`
  return { tone: 'failed', title, text: match ? `${match[1]} (${end.error})` : `${end.error}.`, hint: match ? match[2] : 'try again; if it keeps failing, save the logs from the CLI (peerlens --verbose)' }
}
