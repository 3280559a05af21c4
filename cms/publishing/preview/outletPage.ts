import { escapeHtml } from '../../channels/html.ts'
import { DEFAULT_TIME_ZONE } from '../../workflow/zonedTime.ts'

/**
 * A preview tab's own page (报纸, 电视): a plain Chinese page, never indexed, styled inline so
 * that it needs nothing but itself.
 */
export function outletPage({ title, body }: { title: string; body: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`
}

/** `14:05` in Beijing time. */
export function beijingClock(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: DEFAULT_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso))
}

/** `2026年12月1日` in Beijing time. */
export function chineseDate(iso: string): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: DEFAULT_TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(iso))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}年${part('month')}月${part('day')}日`
}

const PAGE_STYLE = [
  'body{margin:0;padding:16px 20px;font:16px/1.7 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#fff}',
  'h1{margin:0 0 8px;font-size:20px}',
  '.meta{margin:0 0 6px;color:#555;font-size:14px}',
  '.fit{display:inline-block;margin:4px 0 12px;padding:4px 10px;border-radius:4px;background:#e8f5e9;color:#1b5e20;font-weight:600}',
  '.fit.over{background:#fdecea;color:#a61b1b}',
  'form{margin:0 0 8px;font-size:14px}',
  '.styled{margin:0;padding:0;list-style:none;border-top:1px solid #ddd}',
  '.styled li{display:grid;grid-template-columns:6em 1fr;gap:12px;padding:6px 0;border-bottom:1px solid #eee}',
  '.style{color:#8a5a00;font-size:13px;white-space:nowrap}',
  '.cs{background:#fff3cd}',
  'table{border-collapse:collapse;width:100%;font-size:15px}',
  'th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}',
  'th{background:#f5f5f5;font-weight:600}',
  'td.num{white-space:nowrap;text-align:right}',
].join('')
