import { rm } from 'node:fs/promises'
import type {
  CollectionAfterErrorHook,
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
} from 'payload'

/**
 * An upload over HTTP is streamed to a temporary file (`upload.useTempFiles`). Payload removes
 * it at the end of the operation only if `req.file` still names it, but a hook's nested Local
 * API call with the same `req` (the audit entry, the site build job) resets `req.file`, and the
 * file stayed behind. Its path is kept here when the operation starts, and the file removed
 * when the create or update ends, whether it succeeded or failed.
 */
const TEMP_FILE = 'hongyanUploadTempFile'

export const rememberUploadTempFile: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if ((operation === 'create' || operation === 'update') && req.file?.tempFilePath)
    req.context[TEMP_FILE] = req.file.tempFilePath
  return args
}

export const removeUploadTempFile: CollectionAfterOperationHook = async ({ operation, req, result }) => {
  if (operation === 'create' || operation === 'update' || operation === 'updateByID')
    await removeTempFile(req)
  return result
}

export const removeUploadTempFileAfterError: CollectionAfterErrorHook = async ({ req }) => {
  await removeTempFile(req)
}

async function removeTempFile(req: PayloadRequest): Promise<void> {
  const tempFile = req.context?.[TEMP_FILE]
  if (typeof tempFile !== 'string') return
  delete req.context[TEMP_FILE]
  await rm(tempFile, { force: true })
  // Payload's own removal, right after, would fail on the file now gone.
  if (req.file?.tempFilePath === tempFile) req.file = undefined
}
