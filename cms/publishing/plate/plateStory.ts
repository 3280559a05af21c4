import { countChinese, readingMinutes } from '../../channels/chineseCount.ts'
import { stripControlCharacters } from '../../channels/html.ts'
import type { LexicalNode, UploadNode } from '../../channels/lexical/nodes.ts'
import { type BodyResolvers, lexicalToHtml } from '../../channels/lexical/toHtml.ts'
import { lexicalToText } from '../../channels/lexical/toText.ts'
import { isSafeTag } from '../../channels/tags.ts'
import type {
  PlatedImage,
  PlatedPerson,
  PlatedSection,
  PublishedStory,
  Rendition,
  Rights,
} from '../../channels/types.ts'
import type { Media, Person, Section, Story } from '../../payload-types.ts'

/** Where outlets find a story and its images, relative to the site's root. */
export const storyPath = (slug: string) => `/stories/${encodeURIComponent(slug)}/`
export const mediaPath = (filename: string) => `/media/${encodeURIComponent(filename)}`
export const storyGuid = (id: number) => `urn:hongyan:story:${id}`

/**
 * A story document read through the public's access (depth 2: images, people, section and
 * body uploads populated) → its plate. Pure: the same document gives the same plate.
 * A relation that is only an id was not readable by the public, so it is left out.
 */
export function plateStory({ doc, rights }: { doc: Story; rights: Rights }): PublishedStory {
  const images: PlatedImage[] = []
  const resolve: BodyResolvers = {
    image: (node: UploadNode) => {
      const image = plateImage(node.value)
      if (image) images.push(image)
      return image
    },
    storyPath: (value) => (isObject(value) && typeof value.slug === 'string' ? storyPath(value.slug) : null),
  }
  const root = (doc.body?.root ?? null) as unknown as LexicalNode | null
  const bodyHtml = lexicalToHtml({ root, resolve })
  const bodyText = lexicalToText({ root })
  const counts = countChinese(bodyText)
  const corrections = (doc.corrections ?? []).map((c) => ({ note: clean(c.note) ?? '', at: c.at ?? null }))
  const slug = doc.slug ?? String(doc.id)
  return {
    id: doc.id,
    guid: storyGuid(doc.id),
    version: 1 + corrections.length,
    slug,
    path: storyPath(slug),
    kicker: clean(doc.kicker),
    title: clean(doc.title) ?? '',
    subtitle: clean(doc.subtitle),
    summary: clean(doc.summary),
    bodyHtml,
    bodyText,
    counts,
    readingMinutes: readingMinutes(counts),
    hero: plateImage(doc.heroImage),
    images,
    people: (doc.people ?? []).flatMap((person) => (isObject(person) ? [platePerson(person as Person)] : [])),
    section: isObject(doc.section) ? plateSection(doc.section as Section) : null,
    // A tag is also a URL: one that could not be (stored before tags were checked) is left out.
    tags: [
      ...new Set(
        (doc.tags ?? []).map((tag) => clean(tag)).filter((tag): tag is string => !!tag && isSafeTag(tag)),
      ),
    ],
    byline: clean(doc.byline?.text),
    source: clean(doc.source),
    dateline: clean(doc.dateline),
    publishedAt: doc.publishedAt ?? doc.createdAt,
    updatedAt: corrections.at(-1)?.at ?? doc.publishedAt ?? doc.updatedAt,
    corrections,
    embargoUntil: doc.embargoUntil ?? null,
    rights,
  }
}

export function plateImage(value: unknown): PlatedImage | null {
  if (!isObject(value) || typeof value.filename !== 'string') return null
  const media = value as unknown as Media
  const renditions: Rendition[] = []
  const add = (name: string, file: Partial<Rendition> & { filename?: string | null }) => {
    if (!file.filename || !file.width || !file.height || !file.mimeType) return
    renditions.push({
      name,
      url: mediaPath(file.filename),
      filename: file.filename,
      mimeType: file.mimeType,
      width: file.width,
      height: file.height,
      filesize: file.filesize ?? 0,
    })
  }
  for (const [name, size] of Object.entries(media.sizes ?? {})) {
    if (size) add(name, size as Partial<Rendition> & { filename?: string | null })
  }
  // The original (possibly a 12 MP photo) is published only when no rendition was made,
  // e.g. an image smaller than the narrowest rendition.
  if (renditions.length === 0) add('original', media as Partial<Rendition> & { filename?: string | null })
  return {
    id: media.id,
    alt: clean(media.alt) ?? '',
    caption: clean(media.caption),
    credit: clean(media.credit),
    width: media.width ?? 0,
    height: media.height ?? 0,
    renditions,
  }
}

export function platePerson(person: Person): PlatedPerson {
  return {
    id: person.id,
    name: clean(person.name) ?? '',
    slug: person.slug ?? String(person.id),
    workplace: clean(person.workplace),
    trade: clean(person.trade),
    unionBranch: clean(person.unionBranch),
    bio: clean(person.bio),
    honours: (person.honours ?? []).map((h) => ({
      title: clean(h.title) ?? '',
      level: h.level,
      year: h.year,
    })),
    portrait: plateImage(person.portrait),
  }
}

export function plateSection(section: Section): PlatedSection {
  return {
    id: section.id,
    name: clean(section.name) ?? '',
    slug: section.slug ?? String(section.id),
    description: clean(section.description),
    order: section.order,
  }
}

function clean(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null
  const text = stripControlCharacters(value).trim()
  return text === '' ? null : text
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
