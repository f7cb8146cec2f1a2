/** The user gave something we cannot use (bad invite, wrong secret, port taken): exit 2 in the CLI. */
export class BadInputError extends Error {
  override name = 'BadInputError'
}

/** Nobody answered (signaling server unreachable): exit 3 in the CLI. */
export class NoReplyError extends Error {
  override name = 'NoReplyError'
}
