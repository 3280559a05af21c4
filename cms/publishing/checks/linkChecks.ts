import type { Where } from 'payload'
import type { BodyLink, BodyParts } from '../../channels/checks/bodyParts.ts'
import type { Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { liveStages, type Stage, stageLabels } from '../../workflow/stages.ts'
import { siteOrigin } from '../site/siteOrigin.ts'
import { quoted } from './format.ts'
import { idOf } from './relationId.ts'
import type { CheckContext, StoryCheck } from './types.ts'

/** A story page's path on the site: `/stories/<slug>/` (see plate/plateStory.ts). */
const STORY_PATH = /^\/stories\/([^/?#]+)\/?(?:[?#].*)?$/

type LinkTarget = { link: BodyLink; id?: number; slug?: string }
type LinkedStory = Pick<Story, 'id' | 'title' | 'slug' | 'stage' | '_status' | 'formerSlugs'>

/**
 * Every link of the body to one of our stories, internal (a story chosen in the editor) or
 * by address (`/stories/<slug>/`, root-relative or on the site's own origin), must lead to a
 * story readers can open: one that exists (block), is not withdrawn (block) and is published
 * (block). A link to the story itself is left alone; links to other sites are not checked.
 */
export async function checkLinks({
  payload,
  story,
  req,
  parts,
}: CheckContext & { parts: BodyParts }): Promise<StoryCheck[]> {
  const targets = parts.links.flatMap((link) => targetOf({ link })).filter((target) => target.id !== story.id)
  if (targets.length === 0) return []
  const ids = [...new Set(targets.flatMap((target) => (target.id === undefined ? [] : [target.id])))]
  const slugs = [...new Set(targets.flatMap((target) => (target.slug === undefined ? [] : [target.slug])))]
  const or: Where[] = [
    ...(ids.length ? [{ id: { in: ids } }] : []),
    ...(slugs.length ? [{ slug: { in: slugs } }, { 'formerSlugs.slug': { in: slugs } }] : []),
  ]
  // The stories as readers have them: the published version, not a later draft.
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { or },
    depth: 0,
    draft: false,
    pagination: false,
    overrideAccess: true,
    select: { title: true, slug: true, stage: true, _status: true, formerSlugs: true },
    req,
  })
  const found = docs as LinkedStory[]
  return targets.flatMap(({ link, id, slug }) => {
    const linked =
      id !== undefined
        ? found.find((doc) => doc.id === id)
        : (found.find((doc) => doc.slug === slug) ??
          found.find((doc) => doc.formerSlugs?.some((former) => former.slug === slug)))
    if (linked?.id === story.id) return []
    return checkOf({ link, linked })
  })
}

function checkOf({ link, linked }: { link: BodyLink; linked: LinkedStory | undefined }): StoryCheck[] {
  const words = link.text.trim() ? quoted(link.text) : link.kind === 'url' ? link.url : '（无文字）'
  if (!linked) {
    return [
      {
        code: 'link_story_missing',
        severity: 'block',
        field: 'body',
        message: {
          zh: `正文中的链接${words}指向的稿件不存在或已删除：请改链接或去掉`,
          en: `The body links ${words} to a story that does not exist: change or remove the link`,
        },
      },
    ]
  }
  const stage = (linked.stage ?? 'draft') as Stage
  if (stage === 'withdrawn') {
    return [
      {
        code: 'link_story_withdrawn',
        severity: 'block',
        field: 'body',
        message: {
          zh: `正文中的链接${words}指向已撤稿的《${linked.title}》：请改链接或去掉`,
          en: `The body links ${words} to the withdrawn story "${linked.title}": change or remove the link`,
        },
      },
    ]
  }
  if (linked._status !== 'published' || !liveStages.includes(stage)) {
    return [
      {
        code: 'link_story_unpublished',
        severity: 'block',
        field: 'body',
        message: {
          zh: `正文中的链接${words}指向尚未发布的《${linked.title}》（${stageLabels[stage].zh}）：请待其发布后再发，或改链接`,
          en: `The body links ${words} to "${linked.title}", which is not published (${stageLabels[stage].en}): wait for it or change the link`,
        },
      },
    ]
  }
  return []
}

/** The story a link points at, by id or by slug; nothing for a link elsewhere. */
function targetOf({ link }: { link: BodyLink }): LinkTarget[] {
  if (link.kind === 'internal') {
    if (link.relationTo && link.relationTo !== collectionSlugs.stories) return []
    const id = idOf(link.value)
    return [{ link, id: id ?? -1 }]
  }
  const path = ownPath(link.url)
  const slug = path ? STORY_PATH.exec(path)?.[1] : undefined
  if (!slug) return []
  try {
    return [{ link, slug: decodeURIComponent(slug) }]
  } catch {
    // Not a slug we could have made (bad percent-encoding): no story of ours has it.
    return [{ link, slug }]
  }
}

/** The path of a link to our own site (root-relative, or absolute on the site's origin). */
function ownPath(url: string): string | undefined {
  if (url.startsWith('/') && !url.startsWith('//')) return url
  try {
    const parsed = new URL(url)
    return parsed.origin === siteOrigin() ? `${parsed.pathname}${parsed.search}${parsed.hash}` : undefined
  } catch {
    return undefined
  }
}
