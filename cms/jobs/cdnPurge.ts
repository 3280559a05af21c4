import type { Payload, TaskConfig } from 'payload'
import { siteOrigin } from '../publishing/site/siteOrigin.ts'
import { WEBHOOK_RETRIES, webhookSignature } from './partnerWebhook.ts'

export const CDN_PURGE_TASK = 'cdnPurge'

/**
 * Past this many paths a purge asks the CDN to forget everything instead (a first deploy, a
 * new renderer): CDNs cap the paths one request may name, and a job's input stays small.
 */
export const PURGE_ALL_ABOVE = 1000

export type CdnPurgeInput = { paths: string[]; purgeAll: boolean }

type Env = Record<string, string | undefined>

/** The CDN's purge hook (`HONGYAN_CDN_PURGE_URL` and `HONGYAN_CDN_PURGE_SECRET`), or undefined without one. */
export function cdnPurgeSettings(env: Env = process.env): { url: string; secret: string } | undefined {
  const url = env.HONGYAN_CDN_PURGE_URL?.trim()
  if (!url) return undefined
  const secret = env.HONGYAN_CDN_PURGE_SECRET
  if (!secret)
    throw new Error(
      'HONGYAN_CDN_PURGE_URL is set but HONGYAN_CDN_PURGE_SECRET is not (see docs/configuration.md)',
    )
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new Error(`HONGYAN_CDN_PURGE_URL "${url}" is not an http(s) URL`)
  return { url, secret }
}

/**
 * Tells the CDN which paths of the site changed or went after a deploy: a POST signed as the
 * partner webhooks are (`X-Hongyan-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">`),
 * retried with the same exponential backoff until the CDN answers 2xx.
 */
export const cdnPurgeTask: TaskConfig<{ input: CdnPurgeInput; output: { status: number } }> = {
  slug: CDN_PURGE_TASK,
  label: '刷新 CDN',
  retries: WEBHOOK_RETRIES,
  inputSchema: [
    { name: 'paths', type: 'json', required: true },
    { name: 'purgeAll', type: 'checkbox', required: true },
  ],
  outputSchema: [{ name: 'status', type: 'number', required: true }],
  handler: async ({ input }) => {
    const settings = cdnPurgeSettings()
    if (!settings) return { output: { status: 0 } }
    const at = new Date()
    const body = JSON.stringify({
      event: 'site.deployed',
      site: siteOrigin(),
      purgeAll: input.purgeAll,
      paths: input.paths,
      at: at.toISOString(),
    })
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Hongyan-Webhook/1',
        'X-Hongyan-Event': 'site.deployed',
        'X-Hongyan-Signature': webhookSignature({ secret: settings.secret, body, at }),
      },
      body,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    })
    if (!response.ok) throw new Error(`the CDN purge hook answered ${response.status}; will retry`)
    return { output: { status: response.status } }
  },
}

/** Queues the purge of the paths a deploy changed, when a purge hook is set; many make one purge of everything. */
export async function queueCdnPurge({
  payload,
  paths,
}: {
  payload: Payload
  paths: string[]
}): Promise<boolean> {
  if (!cdnPurgeSettings() || paths.length === 0) return false
  const purgeAll = paths.length > PURGE_ALL_ABOVE
  await payload.jobs.queue({
    task: CDN_PURGE_TASK,
    input: { paths: purgeAll ? [] : paths, purgeAll },
    overrideAccess: true,
  })
  return true
}
