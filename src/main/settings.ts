// Settings persisted as JSON in the user data folder. The TURN password is written only as
// ciphertext from the OS keyring (Electron's safeStorage); where no keyring really encrypts it (none
// at all, or Linux's 'basic_text' fallback, a key written in Chromium's source) it lives in memory
// for this run and is never written. Storage and encryption are injected: tests check
// what reaches the disk, index.ts passes the real file and safeStorage.
import { z } from 'zod'
import type { SettingsFields, SettingsPatch, SettingsView } from '../shared/ipc'
import { MAX_URL_CHARS } from '../shared/limits'
import { portTestList, throughputMb } from './ipcSchemas'

export interface TextStorage {
  read(): Promise<string | undefined>
  write(text: string): Promise<void>
}

export interface SecretBox {
  available(): boolean
  /** Why not, when not available: shown in Settings before ": the TURN password is kept for this run only". */
  unavailableReason?(): string
  /** Ciphertext, base64. */
  encrypt(plain: string): string
  decrypt(cipher: string): string
}

/** The part of Electron's safeStorage the box uses (injected: tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  getSelectedStorageBackend?(): string
  encryptString(plain: string): Buffer
  decryptString(cipher: Buffer): string
}

/**
 * Does the OS keyring really encrypt? On Linux, safeStorage says "available" even when no secret
 * service answers: it then encrypts with a fixed key ('basic_text'), which protects nothing.
 */
export function keyringProblem(safe: SafeStorageLike, platform: NodeJS.Platform): string | undefined {
  if (!safe.isEncryptionAvailable()) return 'No OS keyring here'
  if (platform !== 'linux') return undefined
  const backend = safe.getSelectedStorageBackend?.() ?? 'unknown'
  if (backend === 'basic_text') return 'No OS keyring here (no GNOME Keyring or KWallet answered; Electron would only obscure it with a fixed key)'
  if (backend === 'unknown') return 'The OS keyring could not be identified'
  return undefined
}

/** safeStorage as a SecretBox that is available only when the keyring really encrypts. */
export function keyringBox(safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    available: () => keyringProblem(safe, platform) === undefined,
    unavailableReason: () => keyringProblem(safe, platform) ?? '',
    encrypt: (plain) => safe.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safe.decryptString(Buffer.from(cipher, 'base64'))
  }
}

export interface Settings extends SettingsFields {
  turnPassword: string | undefined
}

export const DEFAULT_SETTINGS: Settings = {
  stun: [],
  turn: [],
  turnUser: '',
  turnPassword: undefined,
  lastHost: '0.0.0.0:8080',
  excludedInterfaces: [],
  natServers: [],
  natOnSession: true,
  portTests: [],
  includeVpn: false,
  portMapping: false,
  throughput: true,
  throughputMb: null,
  offline: false
}

const list = z.array(z.string().max(MAX_URL_CHARS)).max(64)
/** The file on disk. Unknown or broken fields fall back to defaults rather than failing the app. */
const fileSchema = z.object({
  version: z.literal(1),
  stun: list.catch([]),
  turn: list.catch([]),
  turnUser: z.string().max(512).catch(''),
  turnPasswordEncrypted: z.string().max(4096).optional().catch(undefined),
  lastHost: z.string().max(MAX_URL_CHARS).catch(DEFAULT_SETTINGS.lastHost),
  excludedInterfaces: list.catch([]),
  natServers: list.catch([]),
  natOnSession: z.boolean().catch(true),
  portTests: portTestList.catch([]),
  includeVpn: z.boolean().catch(false),
  portMapping: z.boolean().catch(false),
  throughput: z.boolean().catch(true),
  throughputMb: throughputMb.nullable().catch(null),
  offline: z.boolean().catch(false)
})

export class SettingsStore {
  private current: Settings = { ...DEFAULT_SETTINGS }
  /** Why loading fell back to defaults, for the log. */
  loadProblem: string | undefined

  constructor(
    private readonly storage: TextStorage,
    private readonly box: SecretBox
  ) {}

  async load(): Promise<Settings> {
    let text: string | undefined
    try {
      text = await this.storage.read()
    } catch (err) {
      this.loadProblem = `cannot read settings: ${(err as Error).message}`
    }
    if (text === undefined) return this.get()
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      this.loadProblem = 'settings file is not JSON: using defaults'
      return this.get()
    }
    const parsed = fileSchema.safeParse(raw)
    if (!parsed.success) {
      this.loadProblem = 'settings file has an unknown format: using defaults'
      return this.get()
    }
    const { version: _v, turnPasswordEncrypted, ...rest } = parsed.data
    let turnPassword: string | undefined
    if (turnPasswordEncrypted && this.box.available()) {
      try {
        turnPassword = this.box.decrypt(turnPasswordEncrypted)
      } catch {
        this.loadProblem = 'the stored TURN password cannot be decrypted (keyring changed?): enter it again'
      }
    }
    this.current = { ...rest, turnPassword }
    return this.get()
  }

  get(): Settings {
    return structuredClone(this.current)
  }

  view(): SettingsView {
    const { turnPassword, ...rest } = this.current
    const passwordStorable = this.box.available()
    const why = passwordStorable ? undefined : this.box.unavailableReason?.()
    return { ...structuredClone(rest), turnPasswordSet: Boolean(turnPassword), passwordStorable, ...(why ? { passwordNotStoredWhy: why } : {}) }
  }

  async update(patch: SettingsPatch): Promise<SettingsView> {
    const { turnPassword, ...rest } = patch
    const next: Settings = { ...this.current }
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value
    }
    if (turnPassword !== undefined) next.turnPassword = turnPassword || undefined
    this.current = next
    await this.save()
    return this.view()
  }

  private async save(): Promise<void> {
    const { turnPassword, ...rest } = this.current
    const file: z.infer<typeof fileSchema> = { version: 1, ...rest }
    // Without a keyring the password is not written at all: never plain text, never base64.
    if (turnPassword && this.box.available()) file.turnPasswordEncrypted = this.box.encrypt(turnPassword)
    await this.storage.write(JSON.stringify(file, null, 2) + '\n')
  }
}
