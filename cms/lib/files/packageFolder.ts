import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { ownerTag } from '../workOwner.ts'
import { sweepAbandoned } from './sweepAbandoned.ts'

/**
 * Writes the package `<outDir>/<name>` whole or not at all: `write` fills a hidden work
 * folder, which is renamed into place only when complete, replacing an earlier package of the
 * same name in one step. What packages killed mid-way left in `outDir` is cleared first.
 */
export async function writePackageFolder({
  outDir,
  name,
  write,
}: {
  outDir: string
  name: string
  write: (workDir: string) => Promise<void>
}): Promise<string> {
  await mkdir(outDir, { recursive: true })
  await removeAbandonedPackages({ outDir })
  const work = path.join(outDir, workName({ name, kind: 'partial' }))
  workInProgress.add(work)
  await mkdir(work, { recursive: true })
  try {
    await write(work)
    const finalDir = path.join(outDir, name)
    await replaceDir({ from: work, to: finalDir })
    return finalDir
  } catch (err) {
    await rm(work, { recursive: true, force: true })
    throw err
  } finally {
    workInProgress.delete(work)
  }
}

/**
 * A package is written into `.<name>.partial-<random>-<owner>` (hidden, named after the
 * process writing it: see `ownerTag`) and renamed into place when complete; the package it
 * replaces is moved aside to `.<name>.old-<random>-<owner>` for that moment.
 */
const WORK_NAME = /^\.(.+)\.(partial|old)-[0-9a-f]{8}(?:-([A-Za-z0-9]+-\d+))?$/

function workName({ name, kind }: { name: string; kind: 'partial' | 'old' }): string {
  return `.${name}.${kind}-${randomUUID().slice(0, 8)}-${ownerTag()}`
}

/** This process's temporary folders in use (it may write several packages at once). */
const workInProgress = new Set<string>()

/** Moves a finished package into place; an earlier package of the same name is replaced whole. */
async function replaceDir({ from, to }: { from: string; to: string }) {
  const old = path.join(path.dirname(to), workName({ name: path.basename(to), kind: 'old' }))
  workInProgress.add(old)
  try {
    if (existsSync(to)) await rename(to, old)
    await rename(from, to)
    await rm(old, { recursive: true, force: true })
  } finally {
    workInProgress.delete(old)
  }
}

/**
 * Clears what writers killed mid-way left in `outDir`: their half-written packages are
 * removed, and a package moved aside for a replacement that never arrived is put back.
 * Temporary folders of writers still running, here or in another process, are left alone.
 */
async function removeAbandonedPackages({ outDir }: { outDir: string }) {
  await sweepAbandoned({
    dir: outDir,
    workOf: (entry) => {
      const found = WORK_NAME.exec(entry)
      return found ? { name: found[1] ?? '', kind: found[2], tag: found[3] } : null
    },
    isInProgress: (entryPath) => workInProgress.has(entryPath),
    settle: async ({ path: entryPath, work }) => {
      const finalDir = path.join(outDir, work.name)
      if (work.kind === 'old' && !existsSync(finalDir)) await rename(entryPath, finalDir)
      else await rm(entryPath, { recursive: true, force: true })
    },
  })
}
