import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'

/**
 * Dates a `.docx` by `stamp` instead of the clock: the `docx` package writes the time it ran
 * into `docProps/core.xml` and the zip entries, so the same document would differ run to run.
 * Rewrites both (and orders the entries, `[Content_Types].xml` first) so the same input gives
 * the same bytes.
 */
export function stampDocx({ docx, stamp }: { docx: Uint8Array; stamp: Date }): Uint8Array {
  const files = unzipSync(docx)
  const core = files['docProps/core.xml']
  if (core) {
    const iso = `${stamp.toISOString().slice(0, 19)}Z`
    files['docProps/core.xml'] = strToU8(
      strFromU8(core).replace(
        /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g,
        `$1${iso}$2`,
      ),
    )
  }
  const names = Object.keys(files).sort((a, b) =>
    a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a.localeCompare(b),
  )
  return zipSync(
    Object.fromEntries(names.map((name) => [name, [files[name] as Uint8Array, { mtime: stamp }]])),
  )
}
