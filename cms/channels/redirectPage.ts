import { escapeHtml } from './html.ts'

/**
 * A page that sends the reader on from an address the story left (its old links, shared in
 * chats and on other sites) to where it is now, for hosts that serve files only: the browser
 * follows the refresh at once, search engines take it, with the canonical link, as a
 * permanent move and index only the new address, and a reader without either has a link.
 */
export function redirectPageHtml({
  title,
  path,
  siteUrl,
}: {
  title: string
  /** The story's root-relative address now. */
  path: string
  siteUrl: string
}): string {
  const url = escapeHtml(new URL(path, siteUrl).href)
  const to = escapeHtml(path)
  const heading = escapeHtml(title)
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${heading}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="${url}">
<meta http-equiv="refresh" content="0; url=${to}">
</head>
<body>
<p>本文已移至新网址（This story has moved）：<a href="${to}">${heading}</a></p>
</body>
</html>
`
}

/**
 * The redirects as a `_redirects` file (`<from> <to> 301` a line), the form static hosts such
 * as Netlify and Cloudflare Pages read, and the site server too.
 */
export function redirectsFileText(redirects: { from: string; to: string }[]): string {
  return redirects.map(({ from, to }) => `${from} ${to} 301\n`).join('')
}
