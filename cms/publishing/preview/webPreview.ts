import type { Payload } from 'payload'
import { layoutOf, planStoryPage, storyPageData, summarize } from '../../../site/planner/index.ts'
import { publicStoryFilter } from '../../access/stories.ts'
import type { PlatedSection, PublishedStory } from '../../channels/types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateSection } from '../plate/plateStory.ts'
import { asPreviewPage } from './previewHtml.ts'
import { plateMediaFiles } from './previewPlate.ts'
import { renderSitePage } from './renderThread.ts'

/**
 * The story's page as the site will publish it: the site's own planner and renderer (same
 * template, same CSS, same image renditions), with the navigation of the site as it is now
 * (the sections that have public stories, and the story's own). Related stories are left
 * out: they depend on the rest of the published site. See asPreviewPage for what makes it a
 * preview.
 */
export async function renderWebPreview({
  payload,
  plate,
  siteUrl,
  mediaUrl,
  banner = null,
}: {
  payload: Payload
  plate: PublishedStory
  siteUrl: string
  mediaUrl: (filename: string) => string
  banner?: string | null
}): Promise<string> {
  const { layout } = layoutOf({ sections: await navigationSections({ payload, plate }) })
  const page = planStoryPage({
    story: summarize({ story: plate, stamp: plate.updatedAt }),
    related: [],
    layoutKey: '',
  })
  const html = await renderSitePage({
    path: plate.path,
    data: storyPageData({ page, story: plate, layout }),
    siteUrl,
  })
  return asPreviewPage({ html, mediaFiles: plateMediaFiles({ plate }), mediaUrl, siteUrl, banner })
}

/** The sections the site's navigation shows now, and the story's own once it is published. */
async function navigationSections({
  payload,
  plate,
}: {
  payload: Payload
  plate: PublishedStory
}): Promise<PlatedSection[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.sections,
    depth: 0,
    pagination: false,
    overrideAccess: false,
    user: null,
  })
  const shown = await Promise.all(
    docs.map(async (section) => {
      if (section.id === plate.section?.id) return true
      const { totalDocs } = await payload.count({
        collection: collectionSlugs.stories,
        where: { and: [publicStoryFilter(), { section: { equals: section.id } }] },
        overrideAccess: true,
      })
      return totalDocs > 0
    }),
  )
  return docs.filter((_section, index) => shown[index]).map((section) => plateSection(section))
}
