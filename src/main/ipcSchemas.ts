// The zod schemas that validate every renderer call in the main process (src/main/ipc.ts). The
// types they accept are declared once, as plain types, in src/shared/ipc.ts; the checks at the
// bottom make the compiler refuse a schema that drifts from them.
import { z } from 'zod'
import type { CallParams, HostStartParams, MeshParams, Method, ReportFormat, SettingsPatch } from '../shared/ipc'
import { GROUP_NAME } from '../shared/mesh/names'
import { MAX_PORT, MAX_PORT_TESTS, MAX_THROUGHPUT_MB, MAX_URL_CHARS, MAX_MESSAGE_BYTES } from '../shared/limits'

const MAX_BLOB = 64 * 1024

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'bad id')
const hostName = z.string().min(1).max(255).regex(/^[A-Za-z0-9.:[\]_-]+$/, 'bad host name or address')
const serverUrl = z.string().trim().min(1).max(MAX_URL_CHARS)
const serverList = z.array(serverUrl).max(16)

export const hostStartParams = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('embedded'),
    host: hostName,
    port: z.number().int().min(0).max(MAX_PORT),
    publicUrl: z.url({ protocol: /^https?$/ }).max(MAX_URL_CHARS).optional()
  }),
  z.strictObject({ mode: z.literal('remote'), url: z.url({ protocol: /^https?$/ }).max(MAX_URL_CHARS) }),
  z.strictObject({ mode: z.literal('manual') })
])

/** The UDP ports a session tests outside WebRTC: the same rule for the settings file and for calls. */
export const portTestList = z.array(z.number().int().min(1).max(MAX_PORT)).max(MAX_PORT_TESTS)

/** The throughput cap in MB: the CLI's --throughput-mb rule (0 is "off", said with the switch instead). */
export const throughputMb = z.number().positive().max(MAX_THROUGHPUT_MB)

export const settingsPatch = z.strictObject({
  stun: serverList.optional(),
  turn: serverList.optional(),
  turnUser: z.string().max(512).optional(),
  turnPassword: z.string().max(512).nullable().optional(),
  lastHost: z.string().max(MAX_URL_CHARS).optional(),
  excludedInterfaces: z.array(z.string().min(1).max(64)).max(64).optional(),
  natServers: serverList.optional(),
  natOnSession: z.boolean().optional(),
  portTests: portTestList.optional(),
  includeVpn: z.boolean().optional(),
  portMapping: z.boolean().optional(),
  throughput: z.boolean().optional(),
  throughputMb: throughputMb.nullable().optional(),
  offline: z.boolean().optional()
})

/** The Mesh screen's form: the CLI's rules (a group name as `--group`, a secret of 8 to 512 characters). */
export const meshParams = z.strictObject({
  signal: z.url({ protocol: /^https?$/ }).max(MAX_URL_CHARS),
  group: z.string().regex(GROUP_NAME, 'a group name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  secret: z.string().min(8, 'the group secret has at least 8 characters').max(512)
})

const empty = z.strictObject({})
const reportFormat = z.enum(['json', 'html', 'markdown'])

/** Params schema of every method. A method not listed here does not exist. */
export const callSchemas = {
  'app.info': empty,
  'host.start': hostStartParams,
  'join.start': z.strictObject({ target: z.string().trim().min(1).max(MAX_BLOB) }),
  'manual.answer': z.strictObject({ sessionId: id, blob: z.string().trim().min(1).max(MAX_BLOB) }),
  'session.cancel': z.strictObject({ sessionId: id }),
  'nat.check': empty,
  'report.formats': empty,
  'report.render': z.strictObject({ reportId: id, format: reportFormat, redact: z.boolean().optional() }),
  'report.save': z.strictObject({ reportId: id, format: reportFormat, redact: z.boolean().optional() }),
  'report.open': empty,
  'clipboard.write': z.strictObject({ text: z.string().max(MAX_MESSAGE_BYTES / 2) }),
  'settings.get': empty,
  'settings.set': settingsPatch,
  'net.interfaces': empty,
  'history.list': empty,
  'history.open': z.strictObject({ id }),
  'history.remove': z.strictObject({ id }),
  'mesh.matrix': meshParams
} as const

// Compile-time only: each schema accepts exactly the shared type, and every method has a schema.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Check<T extends true> = T
export type SchemaChecks = [
  Check<Same<keyof typeof callSchemas, Method>>,
  Check<Same<{ [M in Method]: z.infer<(typeof callSchemas)[M]> }, CallParams>>,
  Check<Same<z.infer<typeof hostStartParams>, HostStartParams>>,
  Check<Same<z.infer<typeof settingsPatch>, SettingsPatch>>,
  Check<Same<z.infer<typeof reportFormat>, ReportFormat>>,
  Check<Same<z.infer<typeof meshParams>, MeshParams>>
]
