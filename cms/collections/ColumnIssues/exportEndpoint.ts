import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Endpoint } from 'payload'
import { isDeskOrAdmin } from '../../access/roles.ts'
import { zipFolderResponse } from '../../lib/files/zipFolder.ts'
import { ColumnIssueError } from '../../publishing/print/columnFit.ts'
import { exportColumnIssue } from '../../publishing/print/exportColumnIssue.ts'
import { refusalCodeOf, refusalResponse } from '../../security/refusal.ts'

/**
 * `GET /api/column-issues/:id/package` (`?force=1` past the budget): the print package as a
 * zip, for editors; the admin links to it from the issue. Refusals are 4xx with a reason.
 */
export const columnExportEndpoints: Endpoint[] = [
  {
    path: '/:id/package',
    method: 'get',
    handler: async (req) => {
      if (!isDeskOrAdmin({ req })) {
        return refusalResponse({
          code: req.user ? 'forbidden' : 'unauthorized',
          reason: { en: 'only editors export the print column', zh: '只有编辑可以导出印刷栏目' },
        })
      }
      const outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-column-'))
      try {
        const result = await exportColumnIssue({
          payload: req.payload,
          issue: String(req.routeParams?.id ?? ''),
          outDir,
          force: req.searchParams.get('force') === '1',
        })
        return await zipFolderResponse({
          dir: result.dir,
          mtime: new Date(`${result.issueDate}T00:00:00Z`),
        })
      } catch (err) {
        if (err instanceof ColumnIssueError) {
          return refusalResponse({
            code: refusalCodeOf(err.status),
            reason: { en: err.message, zh: `无法导出印刷包：${err.message}` },
          })
        }
        throw err
      } finally {
        await rm(outDir, { recursive: true, force: true })
      }
    },
  },
]
