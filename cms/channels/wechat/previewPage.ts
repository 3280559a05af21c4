import { escapeHtml, safeHref } from '../html.ts'
import { checkWechatLimits, wechatLimits } from './limits.ts'
import type { WechatArticle } from './types.ts'

/** What WeChat shows around the article: the title, 作者, the digest and 阅读原文. */
export interface WechatPreviewMeta {
  title: string
  author: string | null
  digest: string | null
  sourceUrl: string
}

/**
 * A standalone page to proof a WeChat article at phone width and paste it into the
 * 公众平台 editor: the title, author and digest as WeChat shows them, anything over WeChat's
 * limits, and a 复制正文 button that copies the article as rich text. The article HTML goes in
 * as it is (the renderer escaped it); the meta is escaped here.
 */
export function buildWechatPreviewPage({
  article,
  meta,
}: {
  article: WechatArticle
  meta: WechatPreviewMeta
}): string {
  const title = escapeHtml(meta.title)
  const problems = checkWechatLimits({
    title: meta.title,
    author: meta.author,
    digest: meta.digest,
    content: article.html,
    sourceUrl: meta.sourceUrl,
  })
  const problemsHtml = problems.length
    ? `<ul class="problems">${problems.map((p) => `<li>${escapeHtml(p.message)}</li>`).join('')}</ul>\n`
    : ''
  const source = safeHref(meta.sourceUrl)
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}（公众号预览）</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main class="phone">
<h1>${title}</h1>
${meta.author ? `<p class="author">${escapeHtml(meta.author)}</p>\n` : ''}${
  meta.digest ? `<p class="digest">摘要：${escapeHtml(meta.digest)}</p>\n` : ''
}<p class="counts">正文 ${article.characters} 字符（上限少于 ${wechatLimits.contentCharacters}）· ${article.bytes} 字节 · 注释 ${article.notes.length} 条</p>
${problemsHtml}<p class="toolbar"><button type="button" id="copy">复制正文</button> <span id="status" role="status"></span></p>
<div id="article">${article.html}</div>
${source ? `<p class="source"><a href="${escapeHtml(source)}">阅读原文</a></p>\n` : ''}</main>
<script>${COPY_SCRIPT}</script>
</body>
</html>
`
}

const PAGE_STYLE = [
  'body{margin:0;background:#ededed;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}',
  '.phone{box-sizing:border-box;width:375px;max-width:100%;margin:16px auto;padding:20px 16px;background:#fff}',
  'h1{margin:0 0 8px;font-size:22px;line-height:1.4;color:#111}',
  '.author,.digest,.counts{margin:0 0 6px;font-size:14px;color:#888}',
  '.problems{margin:8px 0;padding:8px 8px 8px 24px;background:#fdecea;color:#a61b1b;font-size:14px}',
  '.toolbar{margin:12px 0 20px}',
  '#copy{padding:6px 16px;font-size:15px;color:#fff;background:#07c160;border:0;border-radius:4px}',
  '#status{font-size:14px;color:#07c160}',
  '.source a{font-size:14px;color:#576b95;text-decoration:none}',
].join('')

// Rich text (text/html) so the 公众平台 editor keeps the inline styles; selecting the article
// and execCommand is for browsers without ClipboardItem or outside a secure context.
const COPY_SCRIPT = `
const button = document.getElementById('copy')
const status = document.getElementById('status')
const article = document.getElementById('article')
function copyBySelection() {
  const range = document.createRange()
  range.selectNodeContents(article)
  const selection = window.getSelection()
  selection.removeAllRanges()
  selection.addRange(range)
  const isCopied = document.execCommand('copy')
  selection.removeAllRanges()
  return isCopied
}
button.addEventListener('click', async () => {
  let isCopied = false
  if (navigator.clipboard && window.ClipboardItem) {
    try {
      await navigator.clipboard.write([
        new ClipboardItem({
          'text/html': new Blob([article.innerHTML], { type: 'text/html' }),
          'text/plain': new Blob([article.innerText], { type: 'text/plain' }),
        }),
      ])
      isCopied = true
    } catch (error) {
      console.warn('clipboard.write failed, copying the selection instead', error)
    }
  }
  if (!isCopied) isCopied = copyBySelection()
  status.textContent = isCopied ? '已复制' : '复制失败：请选中正文后按 Ctrl+C'
})
`
