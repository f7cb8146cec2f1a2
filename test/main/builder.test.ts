// electron-builder cannot run here (no Electron download), so check its config against
// electron-builder's own JSON Schema and the files it names.
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { load } from 'js-yaml'
import { Ajv } from 'ajv'

const ROOT = resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

describe('electron-builder.yml', () => {
  const config = load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>

  it('is valid for electron-builder', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'))
    const ajv = new Ajv({ allErrors: true, strict: false })
    const validate = ajv.compile(schema)
    expect(validate(config), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  })

  it('builds AppImage, deb, dmg and nsis with the app icon', () => {
    expect(config['linux']!['target']).toEqual(['AppImage', 'deb'])
    expect(config['mac']!['target']).toEqual(['dmg'])
    expect(config['win']!['target']).toEqual(['nsis'])
    for (const os of ['linux', 'mac', 'win']) expect(existsSync(resolve(ROOT, config[os]!['icon'] as string))).toBe(true)
    const png = readFileSync(resolve(ROOT, 'resources/icon.png'))
    // electron-builder needs at least 512x512 for macOS icons: read the PNG header.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512)
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512)
  })

  it('ships the built app only, with the Node-runtime fuses off', () => {
    expect(config['files']).toContain('out/main/**')
    expect((config['files'] as unknown as string[]).some((f) => f.startsWith('src'))).toBe(false)
    expect(config['electronFuses']).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true })
  })
})
