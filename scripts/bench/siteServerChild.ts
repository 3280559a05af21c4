import { defaultDistDir } from '../../cms/publishing/site/buildFolders.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'
import { sitePort } from '../lib/address.ts'

/** The static site server alone (as `npm start` runs it), on SITE_PORT, for the load benchmark. */
createSiteServer({ distDir: defaultDistDir }).listen(sitePort(), '127.0.0.1')
