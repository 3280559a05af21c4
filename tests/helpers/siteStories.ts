import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import type { Story } from '../../cms/payload-types.ts'
import { internalLink, paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { filesOf } from './builtSite.ts'

/**
 * Stories for the site's fault tests, saved as the kitchen saves them (hooks and all; the
 * seed's context only where a test sets the scene and wants no build queued for it).
 */

/** A paragraph of words, then a link to each story in `links` (by id), its words given. */
export function bodyLinking(words: string, links: { id: number; words: string }[] = []): Story['body'] {
  const linked: LexicalNode[] = links.flatMap(({ id, words: linkWords }) => [
    text('，见'),
    internalLink({ relationTo: collectionSlugs.stories, value: id, children: [text(linkWords)] }),
  ])
  return savedState(root(paragraph(text(words), ...linked))) as unknown as Story['body']
}

/** A story published now (as the seed publishes: no build queued for it). */
export async function publishedStory({
  payload,
  title,
  section,
  body = bodyLinking(`${title}。正文。`),
  heroImage,
  publishedAt = new Date(),
}: {
  payload: Payload
  title: string
  section: number
  body?: Story['body']
  heroImage?: number
  publishedAt?: Date
}): Promise<Story> {
  return payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      section,
      body,
      heroImage,
      stage: 'published',
      _status: 'published',
      publishedAt: publishedAt.toISOString(),
    },
    context: { isSeed: true },
  })
}

/** A story saved as a draft, never published. */
export async function draftStory({
  payload,
  title,
  section,
}: {
  payload: Payload
  title: string
  section: number
}) {
  return payload.create({
    collection: collectionSlugs.stories,
    data: { title, section, body: bodyLinking(`${title}。`) },
    draft: true,
    context: { isSeed: true },
  })
}

/** A published story's new slug, published (a non-draft save, as the admin's Publish button makes). */
export async function renameStory({ payload, id, slug }: { payload: Payload; id: number; slug: string }) {
  return payload.update({ collection: collectionSlugs.stories, id, data: { slug, _status: 'published' } })
}

/** A live story withdrawn, with its reason, as the desk withdraws one. */
export async function withdrawStory({ payload, id }: { payload: Payload; id: number }) {
  return payload.update({
    collection: collectionSlugs.stories,
    id,
    data: { stage: 'withdrawn', withdrawnReason: '事实有误，撤稿', _status: 'published' },
  })
}

/** A draft (or approved) story published now. */
export async function publishStory({ payload, id }: { payload: Payload; id: number }) {
  return payload.update({
    collection: collectionSlugs.stories,
    id,
    data: { stage: 'published', _status: 'published' },
  })
}

/** Every file of a built site and a digest of its bytes: two equal maps are the same site. */
export async function fileDigests(dir: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>()
  for (const file of (await filesOf(dir)).sort()) {
    digests.set(
      file,
      createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex'),
    )
  }
  return digests
}

/** The HTML of a story's page in the built site `site`, by its slug. */
export const storyPageOf = (site: string, slug: string) =>
  readFile(path.join(site, 'stories', slug, 'index.html'), 'utf8')
