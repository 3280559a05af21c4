import { buildRenderer } from '../cms/publishing/site/renderer.ts'
import { buildAdmin } from './lib/adminBuild.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'

/** `npm run build`: the production build of the admin and API (Next.js) and the site's renderer (Astro). */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    await buildAdmin()
    await buildRenderer()
  } finally {
    await database.stop()
  }
})
