/**
 * The site's planner, the one entry point the site build (`cms/publishing/site/`) uses: what
 * a story's summary holds, which pages the site has, the data and the render key of each, and
 * the feeds' channels. Astro's pages import the planner's modules they render with directly.
 */
export { plannerDigest } from './digest.ts'
export { sectionChannel, siteChannel } from './feedChannels.ts'
export { DEFAULT_SEARCH_API, LIST_PAGE_SIZE } from './listPages.ts'
export type { LayoutData, PageData } from './pageData.ts'
export {
  layoutOf,
  type PlannedPage,
  type PlannedStoryPage,
  planListPages,
  planStoryPage,
  storyPageData,
  storyPageJson,
} from './planPages.ts'
export { planRedirects, type Redirect } from './redirects.ts'
export { relatedStories, relatedTracker } from './relatedStories.ts'
export { fileOf, sectionPath } from './sitePaths.ts'
export { type FormerPath, type StoryLink, type StorySummary, summarize } from './storySummary.ts'
