import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { extract as extractTar, list as listTar } from 'tar'
import { isReadableManifest, MANIFEST_FILE, type Manifest, MEDIA_FOLDER } from './archive.ts'

/**
 * Checks the archive against its manifest (every listed file present with its size and
 * sha256, nothing unlisted) in a first read that writes nothing, then unpacks it into
 * `work`. Any difference refuses the archive.
 */
export async function unpackAndVerify({ file, work }: { file: string; work: string }): Promise<Manifest> {
  const damaged = (why: string) => new Error(`the archive ${file} is damaged (${why}): nothing was restored`)
  const { found, manifestText } = await readMembers({ file }).catch((err: Error) => {
    throw damaged(err.message.split('\n')[0] || 'unreadable')
  })
  let manifest: Manifest
  try {
    manifest = JSON.parse(manifestText) as Manifest
  } catch {
    throw damaged(`no readable ${MANIFEST_FILE}`)
  }
  if (!isReadableManifest(manifest)) throw new Error(`${file} is not a Hongyan backup this version can read`)
  const listed = new Set(manifest.files.map((entry) => entry.path))
  for (const entry of manifest.files) {
    const actual = found.get(entry.path)
    if (!actual) throw damaged(`${entry.path} is missing`)
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
      throw damaged(`${entry.path} does not match its checksum`)
    }
  }
  const unlisted = [...found.keys()].find((name) => name !== MANIFEST_FILE && !listed.has(name))
  if (unlisted) throw damaged(`${unlisted} is not in the manifest`)

  await extractTar({
    file,
    cwd: work,
    strict: true,
    // Only files and folders: a link could point out of the work folder.
    filter: (_path, entry) => 'type' in entry && UNPACKED_TYPES.has(entry.type),
  })
  for (const entry of manifest.files) {
    const full = path.join(work, entry.path)
    if (!existsSync(full) || (await stat(full)).size !== entry.bytes) {
      throw new Error(`${entry.path} did not unpack from ${file}: nothing was restored`)
    }
  }
  await mkdir(path.join(work, MEDIA_FOLDER), { recursive: true })
  return manifest
}

const UNPACKED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory'])

/** Every file member's sha256 and size, and the manifest's text, read without writing anything. */
async function readMembers({ file }: { file: string }): Promise<{
  found: Map<string, { sha256: string; bytes: number }>
  manifestText: string
}> {
  const found = new Map<string, { sha256: string; bytes: number }>()
  let manifestText = ''
  await listTar({
    file,
    strict: true,
    onReadEntry: (entry) => {
      const name = entry.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '')
      if (entry.type === 'Directory' || !UNPACKED_TYPES.has(entry.type)) return
      const hash = createHash('sha256')
      let bytes = 0
      const chunks: Buffer[] = []
      entry.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        bytes += chunk.length
        if (name === MANIFEST_FILE) chunks.push(chunk)
      })
      entry.on('end', () => {
        found.set(name, { sha256: hash.digest('hex'), bytes })
        if (name === MANIFEST_FILE) manifestText = Buffer.concat(chunks).toString('utf8')
      })
    },
  })
  return { found, manifestText }
}
