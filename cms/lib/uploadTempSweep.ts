import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { uploadTempDir as defaultUploadTempDir } from '../paths.ts'

/** A temp file older than this belongs to no upload still under way (Payload's upload timeout is 60 s). */
export const UPLOAD_TEMP_MIN_AGE_MS = 60 * 60 * 1000

/**
 * Removes the files in the upload temp folder (HONGYAN_UPLOAD_TEMP_DIR) last written `minAgeMs`
 * ago or more: what a killed kitchen, or an upload no hook removed, left behind. Run when a
 * kitchen starts (onInit) and with the worker's hourly sweep of orphaned media. Returns the
 * names removed; a missing folder is nothing to sweep.
 */
export async function sweepUploadTemp({
  payload,
  uploadTempDir = defaultUploadTempDir,
  minAgeMs = UPLOAD_TEMP_MIN_AGE_MS,
  now = Date.now(),
}: {
  payload: Payload
  uploadTempDir?: string
  minAgeMs?: number
  now?: number
}): Promise<string[]> {
  const entries = await readdir(uploadTempDir, { withFileTypes: true }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return []
      throw err
    },
  )
  const removed: string[] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const file = path.join(uploadTempDir, entry.name)
    const modified = (await stat(file).catch(() => null))?.mtimeMs
    if (modified === undefined || now - modified < minAgeMs) continue
    await rm(file, { force: true })
    removed.push(entry.name)
  }
  if (removed.length > 0)
    payload.logger.warn({ msg: `removed ${removed.length} stale upload temp file(s) from ${uploadTempDir}` })
  return removed.sort()
}
