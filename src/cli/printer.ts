import type { Io } from './io'
import type { RunEvent } from '../shared/run'
import { eventLine } from './format'

/**
 * Human output: the lines a script needs (invite, blobs, result) on stdout, progress on stderr.
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

  run(e: RunEvent): void {
    const { kind, ...rest } = e
    switch (e.kind) {
      case 'invite':
        return this.main('invite', { url: e.url }, `invite: ${e.url}`)
      case 'blob':
        return this.main(e.which, { blob: e.blob }, `${e.which}: ${e.blob}`)
      default:
        return this.progress(kind, rest, eventLine(e))
    }
  }
}
