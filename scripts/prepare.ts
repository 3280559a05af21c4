import { queueSiteBuild } from '../cms/jobs/siteBuild.ts'
import { collectionSlugs } from '../cms/slugs.ts'
import { runCli } from './lib/cli.ts'
import { seedFromEnvironment } from './lib/demo.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * Run by `npm start` / `npm run dev` in a short-lived child process (the server process
 * then never holds a second Payload): applies migrations and, on an empty database,
 * seeds the demo newsroom unless HONGYAN_DEMO_CONTENT=0, and asks the worker for a site build.
 */
runCli(async () => {
  const payload = await loadMigratedPayload()
  const { totalDocs: users } = await payload.count({
    collection: collectionSlugs.users,
    overrideAccess: true,
  })
  if (users === 0 && process.env.HONGYAN_DEMO_CONTENT !== '0') {
    await seedFromEnvironment({ payload })
  } else {
    const admins = await payload.find({
      collection: collectionSlugs.users,
      where: { role: { equals: 'admin' } },
      sort: 'createdAt',
      limit: 1,
      depth: 0,
      overrideAccess: true,
    })
    const first = admins.docs[0]
    console.log(first ? `login: ${first.email}` : 'no admin yet: create the first user in the admin')
  }
  // The site may be missing (first start) or stale (an embargo ended while the kitchen was down).
  await queueSiteBuild({ payload, reason: 'kitchen started' })
  await closePayload(payload)
})
