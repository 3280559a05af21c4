import type { Loader, LoaderContext } from 'astro/loaders'

export interface KitchenLoaderOptions {
  /** The kitchen's plate endpoint, e.g. `http://localhost:3000/api/plate/stories`. */
  url: string | undefined
  /** Stories per request (1–500). */
  pageSize?: number
  fetch?: typeof fetch
}

export class KitchenLoaderError extends Error {
  readonly url: string | undefined
  readonly status: number | undefined
  constructor({
    message,
    url,
    status,
    cause,
  }: { message: string; url?: string; status?: number; cause?: unknown }) {
    super(message, { cause })
    this.name = 'KitchenLoaderError'
    this.url = url
    this.status = status
  }
}

interface PlatePage {
  docs: { id: number }[]
  hasNextPage: boolean
}

/**
 * An Astro content loader for the kitchen's published stories. It pages through every
 * plated story, re-parses only those whose content changed, and deletes from the store
 * every story the kitchen no longer publishes (withdrawn, unpublished, deleted).
 */
export function kitchenLoader(options: KitchenLoaderOptions): Loader {
  const { url, pageSize, fetchImpl } = checkOptions(options)
  return {
    name: 'hongyan-kitchen-loader',
    load: async (context: LoaderContext) => {
      const seen = new Set<string>()
      let changed = 0
      for (let page = 1; ; page += 1) {
        const result = await fetchPage({ url, page, pageSize, fetchImpl })
        for (const doc of result.docs) {
          const id = String(doc.id)
          seen.add(id)
          const digest = context.generateDigest(doc as unknown as Record<string, unknown>)
          if (context.store.get(id)?.digest === digest) continue
          const data = await context.parseData({ id, data: doc as unknown as Record<string, unknown> })
          context.store.set({ id, data, digest })
          changed += 1
        }
        if (!result.hasNextPage) break
      }
      const gone = context.store.keys().filter((id) => !seen.has(id))
      for (const id of gone) context.store.delete(id)
      context.logger.info(`${seen.size} published stories: ${changed} new or changed, ${gone.length} removed`)
    },
  }
}

function checkOptions(options: KitchenLoaderOptions) {
  const { url, pageSize = 100 } = options
  if (!url) {
    throw new KitchenLoaderError({
      message:
        'kitchenLoader needs the plate URL: set HONGYAN_PLATE_URL (e.g. http://localhost:3000/api/plate/stories), or build with `npm run build:site`',
    })
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new KitchenLoaderError({ message: `kitchenLoader: "${url}" is not an absolute URL`, url, cause })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new KitchenLoaderError({ message: `kitchenLoader: "${url}" must be an http(s) URL`, url })
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    throw new KitchenLoaderError({
      message: `kitchenLoader: pageSize must be a whole number from 1 to 500, got ${pageSize}`,
      url,
    })
  }
  return { url: parsed, pageSize, fetchImpl: options.fetch ?? fetch }
}

async function fetchPage({
  url,
  page,
  pageSize,
  fetchImpl,
}: {
  url: URL
  page: number
  pageSize: number
  fetchImpl: typeof fetch
}): Promise<PlatePage> {
  const pageUrl = new URL(url)
  pageUrl.searchParams.set('page', String(page))
  pageUrl.searchParams.set('limit', String(pageSize))
  let response: Response
  try {
    response = await fetchImpl(pageUrl)
  } catch (cause) {
    throw new KitchenLoaderError({
      message: `kitchenLoader: the kitchen at ${pageUrl} did not answer`,
      url: pageUrl.href,
      cause,
    })
  }
  if (!response.ok) {
    throw new KitchenLoaderError({
      message: `kitchenLoader: ${pageUrl} answered ${response.status}`,
      url: pageUrl.href,
      status: response.status,
    })
  }
  const body = (await response.json()) as Partial<PlatePage>
  if (!Array.isArray(body.docs) || typeof body.hasNextPage !== 'boolean') {
    throw new KitchenLoaderError({
      message: `kitchenLoader: ${pageUrl} did not answer with a page of stories`,
      url: pageUrl.href,
    })
  }
  return { docs: body.docs, hasNextPage: body.hasNextPage }
}
