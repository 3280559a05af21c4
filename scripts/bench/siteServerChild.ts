import { defaultDistDir } from '../../cms/publishing/site/buildFolders.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'
import { sitePort } from '../lib/address.ts'

/**
 * `siteServerChild.ts [kitchen search url]`: the static site server alone (as `npm start` runs
 * it) on SITE_PORT, for the load and search benchmarks; given the kitchen's `/api/search`, it
 * forwards the search page's questions there, as `npm start` does.
 */
createSiteServer({ distDir: defaultDistDir, kitchenSearchUrl: process.argv[2] }).listen(
  sitePort(),
  '127.0.0.1',
)
