import { escapeHtml } from '../../channels/html.ts'
import { outletLabels, previewOutlets } from './outletPreview.ts'

/**
 * The 预览 view Payload's live preview shows beside the editor: one tab per outlet, a version
 * picker (the latest draft, which follows the editor, or any saved version), and the chosen
 * outlet below. It tells the admin it is ready (Payload then sends it the editor's events), and
 * reloads the outlet each time the admin reports a save (autosave included) while the latest
 * draft is shown. RSS and ninjs are shown as their text; the others as pages.
 */
export function buildPreviewTabsPage({ storyId, title }: { storyId: number; title: string }): string {
  const tabs = previewOutlets
    .map(
      (outlet, index) =>
        `<button type="button" role="tab" id="tab-${outlet}" data-outlet="${outlet}" aria-selected="${index === 0}">${outletLabels[outlet]}</button>`,
    )
    .join('')
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>预览：${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body data-story="${storyId}">
<header>
<div role="tablist" aria-label="发布渠道">${tabs}</div>
<label>版本 <select id="version"><option value="">最新草稿（随编辑更新）</option></select></label>
<span id="status" role="status" data-preview-status></span>
</header>
<main>
<iframe id="outlet-frame" title="渠道预览"></iframe>
<pre id="outlet-text" hidden></pre>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`
}

const STYLE = [
  'html,body{height:100%;margin:0}',
  'body{display:flex;flex-direction:column;font:14px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f4f4f4}',
  'header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:8px 12px;background:#fff;border-bottom:1px solid #ddd}',
  '[role=tablist]{display:flex;gap:4px}',
  '[role=tab]{padding:4px 12px;border:1px solid #ccc;border-radius:4px;background:#fafafa;font:inherit;cursor:pointer}',
  '[role=tab][aria-selected=true]{background:#b71c1c;border-color:#b71c1c;color:#fff}',
  'select{font:inherit;max-width:22em}',
  '#status{color:#666}',
  'main{flex:1;min-height:0;display:flex}',
  'iframe{flex:1;border:0;background:#fff}',
  'pre{flex:1;margin:0;padding:12px;overflow:auto;white-space:pre-wrap;word-break:break-all;background:#fff;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace}',
].join('')

// Plain browser JavaScript, served inline (the kitchen's policy allows it for its own pages).
const SCRIPT = `
const storyId = document.body.dataset.story
const frame = document.getElementById('outlet-frame')
const text = document.getElementById('outlet-text')
const picker = document.getElementById('version')
const status = document.getElementById('status')
const textOutlets = new Set(['rss', 'ninjs'])
let outlet = 'web'
let loadedSrc = ''
let lastForm = null
let isFrameLoading = false
frame.addEventListener('load', () => {
  isFrameLoading = false
})

function outletUrl() {
  const version = picker.value
  return '/api/stories/' + storyId + '/preview/' + outlet + (version ? '?version=' + encodeURIComponent(version) : '')
}

function stamp() {
  return new Date().toLocaleTimeString('zh-CN', { hour12: false })
}

async function show({ isRefresh }) {
  const src = outletUrl()
  if (textOutlets.has(outlet)) {
    frame.hidden = true
    text.hidden = false
    const response = await fetch(src, { credentials: 'same-origin', cache: 'no-store' })
    const body = await response.text()
    text.textContent = response.ok ? body : '无法预览（' + response.status + '）：' + body
    loadedSrc = src
  } else {
    text.hidden = true
    frame.hidden = false
    // The same outlet again (a save): reload in place, keeping the column or programme chosen
    // in it; one still loading is asked again (reloading it would cancel it).
    const shown = frame.contentWindow
    if (isRefresh && loadedSrc === src && !isFrameLoading && shown && shown.location.href !== 'about:blank')
      shown.location.reload()
    else {
      isFrameLoading = true
      frame.src = src
    }
    loadedSrc = src
  }
  status.textContent = (isRefresh ? '已按保存更新 ' : '载入 ') + stamp()
}

async function loadVersions() {
  const response = await fetch('/api/stories/' + storyId + '/preview-versions', { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) return
  const { versions } = await response.json()
  const chosen = picker.value
  while (picker.options.length > 1) picker.remove(1)
  for (const version of versions) {
    const option = document.createElement('option')
    option.value = String(version.id)
    const when = new Date(version.updatedAt).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })
    const kind = version.status === 'published' ? '已发布' : version.isAutosave ? '自动保存' : '草稿'
    option.textContent = when + ' · ' + kind + ' · ' + version.title
    picker.appendChild(option)
  }
  picker.value = chosen
}

for (const tab of document.querySelectorAll('[role=tab]')) {
  tab.addEventListener('click', () => {
    outlet = tab.dataset.outlet
    for (const other of document.querySelectorAll('[role=tab]')) other.setAttribute('aria-selected', String(other === tab))
    void show({ isRefresh: false })
  })
}
picker.addEventListener('change', () => void show({ isRefresh: false }))

window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !event.data || typeof event.data !== 'object') return
  if (event.data.type === 'payload-document-event') {
    void loadVersions()
    if (picker.value === '') void show({ isRefresh: true })
  } else if (event.data.type === 'payload-live-preview' && event.data.data) {
    // The form as it is now, sent on every change: the first is what is saved already.
    const form = JSON.stringify(event.data.data)
    if (lastForm !== null && form !== lastForm && picker.value === '') status.textContent = '有改动，自动保存后更新…'
    lastForm = form
  }
})

void loadVersions()
void show({ isRefresh: false })
if (window.parent !== window) window.parent.postMessage({ type: 'payload-live-preview', ready: true }, location.origin)
`
