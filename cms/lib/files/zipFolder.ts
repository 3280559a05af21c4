import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { zipSync } from 'fflate'

/**
 * Every file under `dir` as one zip, inside a folder of `dir`'s name (unzipping gives the
 * package as it was written), in path order and dated `mtime`: the same folder gives the same
 * bytes whenever it is zipped.
 */
export async function zipFolder({ dir, mtime }: { dir: string; mtime: Date }): Promise<Uint8Array> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  )
  const named = entries.map((entry) => {
    const full = path.join(entry.parentPath, entry.name)
    return { full, name: `${path.basename(dir)}/${path.relative(dir, full).split(path.sep).join('/')}` }
  })
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {}
  for (const { full, name } of named.sort((a, b) => a.name.localeCompare(b.name))) {
    files[name] = [await readFile(full), { mtime }]
  }
  return zipSync(files)
}

/** The folder as a zip download, `<folder name>.zip`, never cached. */
export async function zipFolderResponse({ dir, mtime }: { dir: string; mtime: Date }): Promise<Response> {
  return new Response(new Uint8Array(await zipFolder({ dir, mtime })), {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${path.basename(dir)}.zip"`,
      'Cache-Control': 'no-store',
    },
  })
}
