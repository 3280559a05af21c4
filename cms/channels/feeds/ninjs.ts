import { house } from '../house.ts'
import { absoluteHtml } from '../html.ts'
import type { PublishedStory } from '../types.ts'
import { absoluteUrl } from './feedItems.ts'

/** IPTC ninjs 2.2 publication status. */
export type PubStatus = 'usable' | 'withheld' | 'canceled'

export type NinjsItem = Record<string, unknown> & { uri: string; version: string; pubstatus: PubStatus }

/**
 * A published story as an IPTC ninjs 2.2 item. `embargoed` is set only for a partner allowed
 * early release; `versioncreated` moves with every correction while `uri` never changes.
 */
export function ninjsItem({ story, siteUrl }: { story: PublishedStory; siteUrl: string }): NinjsItem {
  const url = absoluteUrl({ path: story.path, siteUrl })
  const hero = story.hero
  return {
    uri: story.guid,
    type: 'text',
    profile: 'hongyan-story',
    version: String(story.version),
    firstcreated: story.publishedAt,
    versioncreated: story.updatedAt,
    pubstatus: 'usable',
    ...(story.embargoUntil ? { embargoed: story.embargoUntil } : {}),
    language: house.language,
    headlines: [
      { role: 'main', value: story.title },
      ...(story.kicker ? [{ role: 'kicker', value: story.kicker }] : []),
      ...(story.subtitle ? [{ role: 'subtitle', value: story.subtitle }] : []),
    ],
    ...(story.summary
      ? { descriptions: [{ role: 'summary', contenttype: 'text/plain', value: story.summary }] }
      : {}),
    bodies: [
      // One body, as HTML: a plain-text copy would double every pull for text any client can derive.
      {
        role: 'main',
        contenttype: 'text/html',
        charcount: story.counts.total,
        value: absoluteHtml({ html: story.bodyHtml, baseUrl: siteUrl }),
      },
    ],
    renditions: [
      { name: 'web', href: url, contenttype: 'text/html', title: story.title },
      ...(hero?.renditions ?? []).map((r) => ({
        name: `hero-${r.name}`,
        href: absoluteUrl({ path: r.url, siteUrl }),
        contenttype: r.mimeType,
        width: r.width,
        height: r.height,
        sizeinbytes: r.filesize,
      })),
    ],
    people: story.people.map((person) => ({
      name: person.name,
      rel: 'featured',
      uri: absoluteUrl({ path: `/people/${person.slug}/`, siteUrl }),
    })),
    subjects: [
      ...(story.section ? [{ name: story.section.name, rel: 'section', literal: story.section.slug }] : []),
      ...story.tags.map((tag) => ({ name: tag, rel: 'tag' })),
    ],
    ...(story.byline ? { by: story.byline } : {}),
    ...(story.dateline ? { located: story.dateline } : {}),
    copyrightholder: story.rights.copyrightHolder,
    usageterms: story.rights.usageTerms,
  }
}

/** A withdrawn story: partners must take it down. Nothing of its content is sent again. */
export function canceledNinjsItem({
  guid,
  version,
  withdrawnAt,
  firstcreated,
}: {
  guid: string
  version: number
  withdrawnAt: string
  firstcreated: string
}): NinjsItem {
  return {
    uri: guid,
    type: 'text',
    version: String(version),
    firstcreated,
    versioncreated: withdrawnAt,
    pubstatus: 'canceled',
    ednote: '本稿件已撤稿，请立即撤下。This item has been withdrawn: take it down.',
  }
}
