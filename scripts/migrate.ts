import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/** `npm run migrate`: applies every committed migration that has not run yet. */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    await closePayload(payload)
  } finally {
    await database.stop()
  }
})
