// Timers a session owns: all cleared when it ends, so nothing it scheduled keeps a process (or a
// page) alive, and no late callback acts on a finished session.

export class SessionTimers {
  private readonly pending = new Set<ReturnType<typeof setTimeout>>()

  /** Runs `fn` after `ms`, unless clear() comes first. */
  later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer)
      fn()
    }, ms)
    this.pending.add(timer)
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer)
    this.pending.clear()
  }
}

/** Waits `ms`, or less when `signal` aborts (at once if it already has). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}
