import { createHmac } from 'node:crypto'
import type { Payload, PayloadRequest, TaskConfig } from 'payload'
import { storyGuid, storyPath } from '../publishing/plate/plateStory.ts'
import { siteOrigin } from '../publishing/site/siteOrigin.ts'
import { collectionSlugs } from '../slugs.ts'

export const PARTNER_WEBHOOK_TASK = 'partnerWebhook'
export type WebhookEvent = 'published' | 'corrected' | 'withdrawn'
export type PartnerWebhookInput = { partnerId: number; storyId: number; event: WebhookEvent; version: number }

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the partner's webhook secret>` */
export function webhookSignature({ secret, body, at }: { secret: string; body: string; at: Date }): string {
  const t = Math.floor(at.getTime() / 1000)
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`
}

/** Outgoing webhooks (partners, the CDN's purge hook) are retried 6 times, 2 s, 4 s, 8 s… apart. */
export const WEBHOOK_RETRIES = { attempts: 6, backoff: { type: 'exponential', delay: 2000 } } as const

/**
 * Tells one partner that a story was published, corrected or withdrawn: a signed POST,
 * retried with exponential backoff (2 s, 4 s, 8 s…) until it answers 2xx; every attempt
 * is recorded in the distribution log.
 */
export const partnerWebhookTask: TaskConfig<{ input: PartnerWebhookInput; output: { status: number } }> = {
  slug: PARTNER_WEBHOOK_TASK,
  label: '推送合作媒体',
  retries: WEBHOOK_RETRIES,
  inputSchema: [
    { name: 'partnerId', type: 'number', required: true },
    { name: 'storyId', type: 'number', required: true },
    { name: 'event', type: 'text', required: true },
    { name: 'version', type: 'number', required: true },
  ],
  outputSchema: [{ name: 'status', type: 'number', required: true }],
  handler: async ({ input, req }) => {
    const { payload } = req
    const partner = await payload.findByID({
      collection: collectionSlugs.partners,
      id: input.partnerId,
      depth: 0,
      overrideAccess: true,
      showHiddenFields: true,
      disableErrors: true,
    })
    if (!partner?.webhookUrl || !partner.webhookSecret || !partner.active || partner.keyRevokedAt) {
      return { output: { status: 0 } }
    }
    const story = await payload.findByID({
      collection: collectionSlugs.stories,
      id: input.storyId,
      depth: 0,
      overrideAccess: true,
      disableErrors: true,
    })
    const at = new Date()
    const body = JSON.stringify({
      event: input.event,
      uri: storyGuid(input.storyId),
      version: input.version,
      ...(input.event !== 'withdrawn' && story?.slug
        ? { url: `${siteOrigin()}${storyPath(story.slug)}` }
        : {}),
      at: at.toISOString(),
    })
    let status = 0
    let detail = ''
    try {
      const response = await fetch(partner.webhookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Hongyan-Webhook/1',
          'X-Hongyan-Event': input.event,
          'X-Hongyan-Signature': webhookSignature({ secret: partner.webhookSecret, body, at }),
        },
        body,
        signal: AbortSignal.timeout(10_000),
        redirect: 'manual',
      })
      status = response.status
    } catch (err) {
      detail = (err as Error).message
    }
    await payload.create({
      collection: collectionSlugs.partnerLog,
      data: {
        partner: partner.id,
        kind: 'webhook',
        at: at.toISOString(),
        status,
        itemCount: 1,
        items: [{ id: input.storyId, version: input.version, event: input.event }],
        detail: detail || `${input.event} → ${status}`,
      },
      overrideAccess: true,
    })
    if (status < 200 || status >= 300) {
      throw new Error(`partner ${partner.id} webhook answered ${status || detail}; will retry`)
    }
    return { output: { status } }
  },
}

/**
 * Queues one webhook per partner that should hear of this story now. A partner without
 * early release hears of an embargoed story when its embargo ends.
 */
export async function queuePartnerWebhooks({
  payload,
  req,
  story,
  event,
}: {
  payload: Payload
  req?: PayloadRequest
  story: { id: number; section?: unknown; embargoUntil?: string | null; corrections?: unknown[] | null }
  event: WebhookEvent
}): Promise<number> {
  const sectionId =
    typeof story.section === 'object' && story.section ? (story.section as { id: number }).id : story.section
  const { docs: partners } = await payload.find({
    collection: collectionSlugs.partners,
    where: {
      and: [
        { active: { equals: true } },
        { webhookUrl: { exists: true } },
        { keyRevokedAt: { exists: false } },
      ],
    },
    pagination: false,
    depth: 0,
    overrideAccess: true,
    req,
  })
  const version = 1 + (story.corrections?.length ?? 0) + (event === 'withdrawn' ? 1 : 0)
  const embargoEnds = story.embargoUntil ? new Date(story.embargoUntil) : null
  let queued = 0
  for (const partner of partners) {
    const sections = (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
    if (!partner.webhookUrl || (sections.length > 0 && !sections.includes(sectionId as number))) continue
    const waitUntil =
      embargoEnds && embargoEnds > new Date() && !partner.earlyRelease ? embargoEnds : undefined
    await payload.jobs.queue({
      task: PARTNER_WEBHOOK_TASK,
      input: { partnerId: partner.id, storyId: story.id, event, version },
      ...(waitUntil ? { waitUntil } : {}),
      req,
      overrideAccess: true,
    })
    queued += 1
  }
  return queued
}
