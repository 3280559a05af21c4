/** Every collection's slug, in one place: code refers to these, never to string literals. */
export const collectionSlugs = {
  users: 'users',
  stories: 'stories',
  media: 'media',
  people: 'people',
  sections: 'sections',
  auditLog: 'audit-log',
  scheduleRuns: 'schedule-runs',
  partners: 'partners',
  partnerLog: 'partner-log',
  columns: 'columns',
  columnIssues: 'column-issues',
  backupRuns: 'backup-runs',
  tvProgrammes: 'tv-programmes',
  tvEpisodes: 'tv-episodes',
  wechatPushes: 'wechat-pushes',
  wechatAssets: 'wechat-assets',
  houseTerms: 'house-terms',
  previewLinks: 'preview-links',
  notifications: 'notifications',
  storyComments: 'story-comments',
} as const

export type HongyanCollectionSlug = (typeof collectionSlugs)[keyof typeof collectionSlugs]
