import { describe, expect, it } from 'vitest'
import { keyringBox, SettingsStore, type SafeStorageLike, type SecretBox, type TextStorage } from '../../src/main/settings'

class Disk implements TextStorage {
  writes: string[] = []
  constructor(private initial?: string) {}
  async read(): Promise<string | undefined> {
    return this.writes.at(-1) ?? this.initial
  }
  async write(text: string): Promise<void> {
    this.writes.push(text)
  }
}

const keyring = (available = true): SecretBox => ({
  available: () => available,
  encrypt: (plain) => 'ENC:' + Buffer.from(plain).reverse().toString('hex'),
  decrypt: (cipher) => Buffer.from(cipher.replace(/^ENC:/, ''), 'hex').reverse().toString()
})

const SECRET = 'correct horse battery staple'

describe('SettingsStore', () => {
  it('never writes the TURN password in plain text, and reads it back through the keyring', async () => {
    const disk = new Disk()
    const store = new SettingsStore(disk, keyring())
    await store.update({ turn: ['turn:t.example:3478'], turnUser: 'alice', turnPassword: SECRET })
    const written = disk.writes.at(-1)!
    expect(written).not.toContain(SECRET)
    expect(written).not.toContain(Buffer.from(SECRET).toString('base64'))
    expect(JSON.parse(written).turnPasswordEncrypted).toMatch(/^ENC:/)

    const again = new SettingsStore(disk, keyring())
    const loaded = await again.load()
    expect(loaded.turnPassword).toBe(SECRET)
    expect(loaded.turnUser).toBe('alice')
  })

  it('keeps the password in memory only when no keyring exists', async () => {
    const disk = new Disk()
    const store = new SettingsStore(disk, keyring(false))
    const view = await store.update({ turnPassword: SECRET })
    expect(store.get().turnPassword).toBe(SECRET)
    expect(view).toMatchObject({ turnPasswordSet: true, passwordStorable: false })
    for (const w of disk.writes) {
      expect(w).not.toContain(SECRET)
      expect(JSON.parse(w).turnPasswordEncrypted).toBeUndefined()
    }
  })

  it('shows the renderer only that a password is stored', async () => {
    const store = new SettingsStore(new Disk(), keyring())
    const view = await store.update({ turnPassword: SECRET })
    expect(JSON.stringify(view)).not.toContain(SECRET)
    expect(view.turnPasswordSet).toBe(true)
  })

  it('forgets the password on null and keeps it when the patch leaves it out', async () => {
    const disk = new Disk()
    const store = new SettingsStore(disk, keyring())
    await store.update({ turnPassword: SECRET })
    await store.update({ stun: ['stun:s:3478'] })
    expect(store.get().turnPassword).toBe(SECRET)
    await store.update({ turnPassword: null })
    expect(store.get().turnPassword).toBeUndefined()
    expect(JSON.parse(disk.writes.at(-1)!).turnPasswordEncrypted).toBeUndefined()
  })

  it('falls back to defaults on a broken file, saying why', async () => {
    for (const text of ['{not json', '{"version":2}', '[]']) {
      const store = new SettingsStore(new Disk(text), keyring())
      const s = await store.load()
      expect(s.lastHost).toBe('0.0.0.0:8080')
      expect(store.loadProblem).toBeTruthy()
    }
  })

  it('keeps the good fields of a partly broken file', async () => {
    const store = new SettingsStore(new Disk(JSON.stringify({ version: 1, stun: 'oops', lastHost: '10.0.0.1:9000', natOnSession: false, portTests: [51820, 99999] })), keyring())
    const s = await store.load()
    expect(s).toMatchObject({ stun: [], lastHost: '10.0.0.1:9000', natOnSession: false, portTests: [] })
  })

  it('measures throughput by default; a file from before the switch, or a bad cap, reads as the default', async () => {
    const old = await new SettingsStore(new Disk(JSON.stringify({ version: 1, lastHost: '10.0.0.1:9000' })), keyring()).load()
    expect(old).toMatchObject({ throughput: true, throughputMb: null })
    const bad = await new SettingsStore(new Disk(JSON.stringify({ version: 1, throughput: 'no', throughputMb: 1e9 })), keyring()).load()
    expect(bad).toMatchObject({ throughput: true, throughputMb: null })
    const disk = new Disk()
    await new SettingsStore(disk, keyring()).update({ throughput: false, throughputMb: 2.5 })
    expect(await new SettingsStore(disk, keyring()).load()).toMatchObject({ throughput: false, throughputMb: 2.5 })
  })

  it('survives a password the keyring cannot decrypt', async () => {
    const box: SecretBox = { ...keyring(), decrypt: () => { throw new Error('keyring changed') } }
    const store = new SettingsStore(new Disk(JSON.stringify({ version: 1, turnPasswordEncrypted: 'ENC:00' })), box)
    expect((await store.load()).turnPassword).toBeUndefined()
    expect(store.loadProblem).toMatch(/enter it again/)
  })
})

/** Electron's safeStorage as it behaves on each platform (the same reversible cipher as `keyring`). */
function safeStorage(available: boolean, backend?: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString: (plain) => Buffer.from(plain).reverse(),
    decryptString: (cipher) => Buffer.from(cipher).reverse().toString()
  }
}

describe('keyringBox: the password is written only when the keyring really encrypts', () => {
  it("Linux 'basic_text' (no secret service, a fixed key): kept for this run only, and Settings says why", async () => {
    const disk = new Disk()
    const store = new SettingsStore(disk, keyringBox(safeStorage(true, 'basic_text'), 'linux'))
    const view = await store.update({ turnUser: 'alice', turnPassword: SECRET })
    expect(store.get().turnPassword).toBe(SECRET)
    expect(view).toMatchObject({ turnPasswordSet: true, passwordStorable: false, passwordNotStoredWhy: expect.stringMatching(/fixed key/) })
    for (const w of disk.writes) expect(JSON.parse(w).turnPasswordEncrypted).toBeUndefined()
  })

  it('Linux with GNOME Keyring or KWallet, macOS, Windows: written encrypted and read back', async () => {
    for (const [backend, platform] of [['gnome_libsecret', 'linux'], ['kwallet5', 'linux'], [undefined, 'darwin'], [undefined, 'win32']] as const) {
      const disk = new Disk()
      const view = await new SettingsStore(disk, keyringBox(safeStorage(true, backend), platform)).update({ turnPassword: SECRET })
      expect(view.passwordStorable, platform).toBe(true)
      expect(view.passwordNotStoredWhy).toBeUndefined()
      const written = JSON.parse(disk.writes.at(-1)!)
      expect(written.turnPasswordEncrypted).toBeTruthy()
      expect(disk.writes.at(-1)).not.toContain(SECRET)
      expect((await new SettingsStore(disk, keyringBox(safeStorage(true, backend), platform)).load()).turnPassword).toBe(SECRET)
    }
  })

  it("a password written before under 'basic_text' is neither read nor kept", async () => {
    const old = JSON.stringify({ version: 1, turnPasswordEncrypted: Buffer.from(SECRET).reverse().toString('base64') })
    const disk = new Disk(old)
    const store = new SettingsStore(disk, keyringBox(safeStorage(true, 'basic_text'), 'linux'))
    expect((await store.load()).turnPassword).toBeUndefined()
    await store.update({ stun: ['stun:s:3478'] })
    expect(JSON.parse(disk.writes.at(-1)!).turnPasswordEncrypted).toBeUndefined()
  })

  it('no keyring at all, or one that cannot be identified: not written', () => {
    expect(keyringBox(safeStorage(false), 'darwin').available()).toBe(false)
    expect(keyringBox(safeStorage(true, 'unknown'), 'linux').available()).toBe(false)
    expect(keyringBox(safeStorage(true), 'linux').available()).toBe(false)
  })
})
