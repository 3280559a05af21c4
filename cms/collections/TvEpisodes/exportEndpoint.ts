import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Endpoint } from 'payload'
import { isDeskOrAdmin } from '../../access/roles.ts'
import { zipFolderResponse } from '../../lib/files/zipFolder.ts'
import { TvEpisodeError } from '../../publishing/tv/episodeFit.ts'
import { exportTvEpisode } from '../../publishing/tv/exportTvEpisode.ts'
import { refusalCodeOf, refusalResponse } from '../../security/refusal.ts'

/**
 * `GET /api/tv-episodes/:id/package` (an id or an air date): the TV package as a zip, for
 * editors; the admin links to it from the episode. Refusals are 4xx with a reason. An episode
 * over its time budget is exported all the same (the desk trims on the edit).
 */
export const tvExportEndpoints: Endpoint[] = [
  {
    path: '/:id/package',
    method: 'get',
    handler: async (req) => {
      if (!isDeskOrAdmin({ req })) {
        return refusalResponse({
          code: req.user ? 'forbidden' : 'unauthorized',
          reason: { en: 'only editors export the TV programme', zh: '只有编辑可以导出电视节目稿' },
        })
      }
      const outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-tv-'))
      try {
        const result = await exportTvEpisode({
          payload: req.payload,
          episode: String(req.routeParams?.id ?? ''),
          outDir,
        })
        return await zipFolderResponse({ dir: result.dir, mtime: new Date(`${result.airDate}T00:00:00Z`) })
      } catch (err) {
        if (err instanceof TvEpisodeError) {
          return refusalResponse({
            code: refusalCodeOf(err.status),
            reason: { en: err.message, zh: `无法导出节目稿：${err.message}` },
          })
        }
        throw err
      } finally {
        await rm(outDir, { recursive: true, force: true })
      }
    },
  },
]
