import { defineCollection } from 'astro:content'
import { z } from 'astro/zod'
import { kitchenLoader } from './loaders/kitchenLoader.ts'

const rendition = z.object({
  name: z.string(),
  url: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  filesize: z.number().int().nonnegative(),
})

const image = z.object({
  id: z.number(),
  alt: z.string(),
  caption: z.string().nullable(),
  credit: z.string().nullable(),
  width: z.number(),
  height: z.number(),
  renditions: z.array(rendition),
})

const person = z.object({
  id: z.number(),
  name: z.string().min(1),
  slug: z.string().min(1),
  workplace: z.string().nullable(),
  trade: z.string().nullable(),
  unionBranch: z.string().nullable(),
  bio: z.string().nullable(),
  honours: z.array(z.object({ title: z.string(), level: z.string(), year: z.number() })),
  portrait: image.nullable(),
})

const section = z.object({
  id: z.number(),
  name: z.string().min(1),
  slug: z.string().min(1),
  description: z.string().nullable(),
  order: z.number(),
})

/** The plate (`cms/channels/types.ts` PublishedStory), checked at the site's boundary. */
const stories = defineCollection({
  loader: kitchenLoader({ url: process.env.HONGYAN_PLATE_URL }),
  schema: z.object({
    id: z.number(),
    guid: z.string(),
    version: z.number().int().positive(),
    slug: z.string().min(1),
    path: z.string().startsWith('/stories/'),
    kicker: z.string().nullable(),
    title: z.string().min(1),
    subtitle: z.string().nullable(),
    summary: z.string().nullable(),
    bodyHtml: z.string(),
    bodyText: z.string(),
    counts: z.object({
      hanzi: z.number(),
      punctuation: z.number(),
      latinCells: z.number(),
      total: z.number(),
    }),
    readingMinutes: z.number().int().positive(),
    hero: image.nullable(),
    images: z.array(image),
    people: z.array(person),
    section: section.nullable(),
    tags: z.array(z.string()),
    byline: z.string().nullable(),
    source: z.string().nullable(),
    dateline: z.string().nullable(),
    publishedAt: z.string(),
    updatedAt: z.string(),
    corrections: z.array(z.object({ note: z.string(), at: z.string().nullable() })),
    embargoUntil: z.string().nullable(),
    rights: z.object({ copyrightHolder: z.string(), usageTerms: z.string() }),
  }),
})

export const collections = { stories }
