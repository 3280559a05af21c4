import { buildAdmin } from './lib/adminBuild.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'

/** `npm run build`: the production build of the admin and API (Next.js). */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    await buildAdmin()
  } finally {
    await database.stop()
  }
})
