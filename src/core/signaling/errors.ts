/** An error with the HTTP status the signaling server answers it with. */
export class SignalError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
    this.name = 'SignalError'
  }
}
