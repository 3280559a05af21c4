import type { LivePreviewConfig } from 'payload'

/**
 * The 预览 view beside the editor: Payload's live preview frames the story's preview tab page
 * (`GET /api/stories/:id/preview`, one tab per outlet), which reloads on every save (autosave
 * every 2 s) and tells the admin it is ready for its messages. A story not yet saved has
 * nothing to preview. Breakpoints: a phone (the WeChat reader's), a tablet, a desktop.
 */
export const storyLivePreview: LivePreviewConfig = {
  url: ({ data }) => (typeof data?.id === 'number' ? `/api/stories/${data.id}/preview` : null),
  breakpoints: [
    { name: 'phone', label: '手机', width: 375, height: 812 },
    { name: 'tablet', label: '平板', width: 768, height: 1024 },
    { name: 'desktop', label: '电脑', width: 1280, height: 800 },
  ],
}
