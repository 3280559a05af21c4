import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { zipSync } from 'fflate'
import type { Endpoint } from 'payload'
import { isEditorOrAdmin } from '../../access/roles.ts'
import { exportColumnIssue } from '../../publishing/columnExport.ts'
import { ColumnIssueError } from '../../publishing/columnFit.ts'

/**
 * `GET /api/column-issues/:id/package` (`?force=1` past the budget): the print package as a
 * zip, for editors; the admin links to it from the issue. Refusals are 4xx with a reason.
 */
export const columnExportEndpoints: Endpoint[] = [
  {
    path: '/:id/package',
    method: 'get',
    handler: async (req) => {
      if (!isEditorOrAdmin({ req })) {
        return Response.json(
          { error: 'forbidden', reason: 'only editors export the print column' },
          { status: req.user ? 403 : 401 },
        )
      }
      const outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-column-'))
      try {
        const result = await exportColumnIssue({
          payload: req.payload,
          issue: String(req.routeParams?.id ?? ''),
          outDir,
          force: req.searchParams.get('force') === '1',
        })
        const entries = (await readdir(result.dir, { recursive: true, withFileTypes: true })).filter((e) =>
          e.isFile(),
        )
        const stamp = new Date(`${result.issueDate}T00:00:00Z`)
        const files: Record<string, [Uint8Array, { mtime: Date }]> = {}
        for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(entry.parentPath, entry.name)
          files[`${path.basename(result.dir)}/${path.relative(result.dir, full)}`] = [
            await readFile(full),
            { mtime: stamp },
          ]
        }
        return new Response(new Uint8Array(zipSync(files)), {
          headers: {
            'Content-Type': 'application/zip',
            'Content-Disposition': `attachment; filename="${path.basename(result.dir)}.zip"`,
            'Cache-Control': 'no-store',
          },
        })
      } catch (err) {
        if (err instanceof ColumnIssueError) {
          return Response.json({ error: 'cannot export', reason: err.message }, { status: err.status })
        }
        throw err
      } finally {
        await rm(outDir, { recursive: true, force: true })
      }
    },
  },
]
