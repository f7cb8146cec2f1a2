import type { Io } from './io'
import type { RunEvent } from '../shared/run'
import { eventLine } from './format'
import { cleanLine } from '../shared/cleanText'

/**
 * Human text holds what the other side sent (its name, version, bye reason, NAT text, addresses):
 * each line is cleaned, so a peer can neither write escape sequences nor start a line of its own.
 */
function clean(text: string): string {
  return text.split('\n').map(cleanLine).join('\n')
}

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
    else this.io.stdout(clean(human) + '\n')
  }

  /** Progress: JSON to stdout in --json mode, human text to stderr. */
  progress(event: string, fields: Record<string, unknown>, human?: string): void {
    if (this.json) this.io.stdout(JSON.stringify({ event, ...fields }) + '\n')
    else if (human !== undefined) this.io.stderr(clean(human) + '\n')
  }

  run(e: RunEvent): void {
    const { kind, ...rest } = e
    switch (e.kind) {
      case 'invite':
        return this.main('invite', { url: e.url }, `invite: ${e.url}`)
      case 'blob':
        // Our own encoding, and longer than a cleaned line may be.
        if (this.json) return this.main(e.which, { blob: e.blob }, '')
        return void this.io.stdout(`${e.which}: ${e.blob}\n`)
      default:
        return this.progress(kind, rest, eventLine(e))
    }
  }
}
