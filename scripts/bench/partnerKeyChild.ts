import { newPartnerKey } from '../../cms/publishing/partnerFeed/partnerKeys.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/** Makes the benchmark's partner if missing and issues it a fresh key; prints `{ "key": … }`. */
runCli(async () => {
  const payload = await loadMigratedPayload()
  const name = '基准测试合作方'
  const existing = (
    await payload.find({ collection: collectionSlugs.partners, where: { name: { equals: name } } })
  ).docs[0]
  const partner =
    existing ??
    (await payload.create({
      collection: collectionSlugs.partners,
      data: { name, allowedFormats: ['rss', 'json', 'ninjs'], rateLimitPerMinute: 100_000 },
    }))
  const { key, prefix, hash } = newPartnerKey()
  await payload.update({
    collection: collectionSlugs.partners,
    id: partner.id,
    data: { keyHash: hash, keyPrefix: prefix, keyIssuedAt: new Date().toISOString(), keyRevokedAt: null },
  })
  console.log(JSON.stringify({ key }))
  await closePayload(payload)
})
