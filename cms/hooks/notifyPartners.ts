import type { CollectionAfterChangeHook } from 'payload'
import { queuePartnerWebhooks, type WebhookEvent } from '../jobs/partnerWebhook.ts'

/** What partners are told of a save of a story's published version, if anything. */
function eventOf({
  doc,
  previousDoc,
}: {
  doc: Record<string, unknown>
  previousDoc: Record<string, unknown> | undefined
}): WebhookEvent | null {
  if (doc._status !== 'published') return null
  const wasLive = previousDoc?._status === 'published' && previousDoc.stage !== 'withdrawn'
  const corrections = (value: unknown) => (Array.isArray(value) ? value.length : 0)
  if (doc.stage === 'withdrawn') return wasLive ? 'withdrawn' : null
  if (!wasLive) return 'published'
  return corrections(doc.corrections) > corrections(previousDoc?.corrections) ? 'corrected' : null
}

/** Publishing, correcting or withdrawing a story queues a signed webhook to each partner in scope. */
export const notifyPartners: CollectionAfterChangeHook = async ({ doc, previousDoc, req, context }) => {
  if (context.isSeed === true) return doc
  const event = eventOf({ doc, previousDoc })
  if (event) await queuePartnerWebhooks({ payload: req.payload, req, story: doc, event })
  return doc
}
