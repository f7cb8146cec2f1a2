import { readFileSync } from 'node:fs'
import { UsageError } from './errors'
import { fileProblem, parseHttpUrl } from './args'
import { GROUP_NAME } from '../core/signaling/groupStore'

export const groupOptionSpec = {
  signal: { type: 'string' },
  group: { type: 'string' },
  'group-secret-file': { type: 'string' }
} as const

/** --signal, --group and the group secret (the first line of --group-secret-file, or PEERLENS_GROUP_SECRET; never an argument). */
export function groupFromArgs(values: { signal?: string; group?: string; 'group-secret-file'?: string }, env: NodeJS.ProcessEnv): { signal: string; group: string; secret: string } {
  if (values.signal === undefined) throw new UsageError('--signal URL is needed: the signaling server holding the group directory')
  parseHttpUrl(values.signal, '--signal')
  if (values.group === undefined) throw new UsageError('--group NAME is needed')
  checkName(values.group, '--group')
  let secret: string | undefined
  const file = values['group-secret-file']
  if (file !== undefined) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read --group-secret-file ${file}: ${fileProblem(err)}`)
    }
    secret = (text.split(/\r?\n/)[0] ?? '').trim()
    if (!secret) throw new UsageError(`--group-secret-file ${file}: the first line is empty`)
  } else secret = env.PEERLENS_GROUP_SECRET
  if (!secret) throw new UsageError('the group secret is needed: --group-secret-file FILE (its first line) or PEERLENS_GROUP_SECRET')
  if (secret.length < 8) throw new UsageError('the group secret is too short: use at least 8 characters (better: 20 random ones)')
  return { signal: values.signal, group: values.group, secret }
}

export function checkName(name: string, option: string): string {
  if (!GROUP_NAME.test(name)) throw new UsageError(`${option} wants 1 to 64 letters, digits, ".", "_" or "-" (starting with a letter or digit), got ${JSON.stringify(name.slice(0, 80))}`)
  return name
}
