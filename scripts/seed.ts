import { seedDemoContent } from '../cms/seed/index.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'
import { printSeedResult } from './lib/seedReport.ts'

/** `npm run seed`: applies migrations and adds whatever demo content is missing. */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    const result = await seedDemoContent({
      payload,
      adminEmail: process.env.HONGYAN_ADMIN_EMAIL,
      adminPassword: process.env.HONGYAN_ADMIN_PASSWORD,
    })
    printSeedResult(result)
    await closePayload(payload)
  } finally {
    await database.stop()
  }
})
