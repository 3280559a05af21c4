import { defineCollection } from 'astro:content'
import { glob } from 'astro/loaders'
import { z } from 'astro/zod'

const stories = defineCollection({
  loader: glob({ pattern: '**/*.md', base: process.env.PLAIN_ASTRO_CONTENT_DIR ?? './content' }),
  schema: z.object({
    title: z.string(),
    date: z.coerce.date(),
    section: z.string(),
    tags: z.array(z.string()),
    slug: z.string(),
  }),
})

export const collections = { stories }
