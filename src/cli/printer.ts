import type { Io } from './io'
import type { SessionEvent } from '../shared/session'
import { eventLine } from './format'

/**
 * Human output: the lines a script needs (invite, result) on stdout, progress on stderr.
 * --json: JSON Lines on stdout, one object per event, the last one {"event":"result"}.
 */
export class Printer {
  constructor(
    private readonly io: Io,
    readonly json: boolean
  ) {}

  /** A line that matters to scripts; human text goes to stdout. */
  main(event: string, fields: Record<string, unknown>, human: string): void {
    if (this.json) this.io.stdout(JSON.stringify({ event, ...fields }) + '\n')
    else this.io.stdout(human + '\n')
  }

  /** Progress: JSON to stdout in --json mode, human text to stderr. */
  progress(event: string, fields: Record<string, unknown>, human?: string): void {
    if (this.json) this.io.stdout(JSON.stringify({ event, ...fields }) + '\n')
    else if (human !== undefined) this.io.stderr(human + '\n')
  }

  session(e: SessionEvent): void {
    const { kind, ...rest } = e
    this.progress(kind, rest, eventLine(e))
  }
}
