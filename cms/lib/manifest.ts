import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

/** One file of a package or archive as its manifest lists it. */
export type ManifestFile = {
  /** Relative to the package's folder, `/`-separated. */
  path: string
  sha256: string
  bytes: number
}

/**
 * Every regular file under `dir` with its sha256 and size, in path order: the file list of a
 * manifest (a backup archive's, a print package's), which a reader checks the files against.
 * Files are read one at a time, streamed: a media folder may hold thousands of large ones.
 */
export async function hashFiles({ dir }: { dir: string }): Promise<ManifestFile[]> {
  const files: ManifestFile[] = []
  for (const relative of await listFiles({ dir })) {
    const full = path.join(dir, relative)
    files.push({ path: relative, sha256: await sha256File(full), bytes: (await stat(full)).size })
  }
  return files
}

/** The regular files under `dir`, relative and `/`-separated, sorted. */
async function listFiles({ dir }: { dir: string }): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}
