/** Exit codes shared by every command. */
export const EXIT = { ok: 0, internal: 1, usage: 2, noConnection: 3 } as const

/** Bad command line or bad input: exit 2 with a one-line reason. */
export class UsageError extends Error {
  override name = 'UsageError'
}
