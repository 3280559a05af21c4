import { describe, expect, it } from 'vitest'
import { asPreviewPage } from '../../cms/publishing/preview/previewHtml.ts'

const page = [
  '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="/favicon.svg">',
  '<meta property="og:image" content="https://news.example.cn/media/weld-1200x630.webp"></head>',
  '<body><a href="/sections/laomo/">劳模风采</a><a href="https://example.org/">外链</a><a href="#main">跳</a>',
  '<picture><source type="image/webp" srcset="/media/weld-768x512.webp 768w, /media/weld-1600x1067.webp 1600w">',
  '<img src="/media/weld-768x512.webp" alt=""></picture><img src="/media/other.webp" alt="">',
  '<p>正文提到 /media/weld-768x512.webp 这几个字</p></body></html>',
].join('')

describe('a site page as its preview', () => {
  const preview = asPreviewPage({
    html: page,
    mediaFiles: new Set(['weld-768x512.webp', 'weld-1600x1067.webp']),
    mediaUrl: (filename) => `/api/media/file/${encodeURIComponent(filename)}`,
    siteUrl: 'https://news.example.cn/',
    banner: '预览稿 <未发布>',
  })

  it('is never indexed and opens its links in a new tab', () => {
    expect(preview).toContain('<head><meta name="robots" content="noindex, nofollow"><base target="_blank">')
  })

  it('shows the story’s own images from the kitchen, and no other file', () => {
    expect(preview).toContain(
      'srcset="/api/media/file/weld-768x512.webp 768w, /api/media/file/weld-1600x1067.webp 1600w"',
    )
    expect(preview).toContain('<img src="/api/media/file/weld-768x512.webp" alt="">')
    expect(preview).toContain('<img src="/media/other.webp" alt="">')
    // An absolute address is the site's own, as published: left as it is.
    expect(preview).toContain('content="https://news.example.cn/media/weld-1200x630.webp"')
  })

  it('points the page’s own links at the public site', () => {
    expect(preview).toContain('<a href="https://news.example.cn/sections/laomo/">劳模风采</a>')
    expect(preview).toContain('<link rel="icon" href="https://news.example.cn/favicon.svg">')
    expect(preview).toContain('<a href="https://example.org/">外链</a>')
    expect(preview).toContain('<a href="#main">跳</a>')
  })

  it('says above the page that it is a preview, escaped', () => {
    expect(preview).toMatch(/<body><p role="note" data-preview-banner [^>]*>预览稿 &lt;未发布&gt;<\/p><a /)
  })
})
