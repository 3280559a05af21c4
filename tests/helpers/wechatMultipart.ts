import busboy from 'busboy'

/** A file part of a multipart/form-data body. */
export type MultipartFile = { field: string; filename: string; mimeType: string; bytes: Buffer }

/**
 * The file parts of a multipart/form-data body, read with busboy as a server reads an upload,
 * or undefined when the body is not multipart or not well formed. A part without a file name
 * is a plain field, not a file (as WeChat's upload endpoints see it too).
 */
export function readMultipartFiles({
  contentType,
  body,
}: {
  contentType: string | undefined
  body: Buffer
}): Promise<MultipartFile[] | undefined> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: { 'content-type': contentType } })
    } catch {
      // No boundary, or a content type busboy cannot read: not a form WeChat could read either.
      resolve(undefined)
      return
    }
    const files: MultipartFile[] = []
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () =>
        files.push({
          field,
          filename: info.filename ?? '',
          mimeType: info.mimeType,
          bytes: Buffer.concat(chunks),
        }),
      )
    })
    parser.on('close', () => resolve(files))
    parser.on('error', () => resolve(undefined))
    parser.end(body)
  })
}
