import { copyFile, link, mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'

/**
 * Puts the regular files under `from` into `to`, same names, as hard links where the file
 * system allows (no bytes copied, and a later change of the source cannot reach the copy
 * through a rewrite-and-rename), as copies where it does not (another device). Folders are
 * recreated; symbolic links and other special files are left out, so nothing in `to` points
 * outside it. Returns how many files were placed.
 */
export async function linkTree({ from, to }: { from: string; to: string }): Promise<number> {
  await mkdir(to, { recursive: true })
  let count = 0
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) {
      count += await linkTree({ from: source, to: target })
    } else if (entry.isFile()) {
      await link(source, target).catch(() => copyFile(source, target))
      count += 1
    }
  }
  return count
}
