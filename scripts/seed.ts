import { runCli } from './lib/cli.ts'
import { seedFromEnvironment } from './lib/demo.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/** `npm run seed`: applies migrations and adds whatever demo content is missing. */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    await seedFromEnvironment({ payload })
    await closePayload(payload)
  } finally {
    await database.stop()
  }
})
