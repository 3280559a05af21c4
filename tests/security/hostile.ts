import { type DefaultTreeAdapterMap, parse, parseFragment } from 'parse5'
import { link, paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'

/**
 * Hostile strings an attacker (or a careless paste) puts into any text field. Each must be
 * stored safely and come out of every channel as the same text, never as markup.
 */
export const hostileStrings: [name: string, value: string][] = [
  ['a script tag', '<script>alert("xss")</script>劳模'],
  ['an event handler', '<img src=x onerror="alert(1)">'],
  ['SVG in HTML', '<svg/onload=alert(1)><circle r="1"/></svg>'],
  ['a javascript: link as text', '<a href="javascript:alert(1)">点我</a>'],
  ['a data: iframe', '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>'],
  ['a CSS expression', '<div style="width: expression(alert(1))">宽</div>'],
  ['an attribute breakout', '" onmouseover="alert(1)" data-x=\''],
  ['a CDATA breakout', ']]><script>alert(1)</script><![CDATA['],
  ['an XML entity', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;'],
  ['HTML entities', '&lt;script&gt; &amp; &#x3C;b&#x3E;'],
  ['NUL and control characters', 'a\u0000b\u0007c\u001bd\u0085e'],
  ['broken surrogates', '断裂\ud800的\udfff字符'],
  ['a bidi override', '\u202egnp.exe 职工'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax is the hostile input
  ['template syntax', '{{constructor.constructor("alert(1)")()}} ${7*7} <%= 7*7 %>'],
]

/**
 * Link targets that must never become a clickable link, and what happens to each: the
 * editor's own link validation refuses some; the plate drops the rest (keeping the words).
 */
export const hostileHrefs: [href: string, outcome: 'refused' | 'inert'][] = [
  ['javascript:alert(1)', 'inert'],
  ['JaVaScRiPt:alert(1)', 'inert'],
  [' javascript:alert(1)', 'refused'],
  ['java\tscript:alert(1)', 'inert'],
  ['data:text/html,<script>alert(1)</script>', 'inert'],
  ['vbscript:msgbox(1)', 'inert'],
  ['javascript:%61lert(1)', 'inert'],
  ['&#106;avascript:alert(1)', 'inert'],
]

/** What a cleaned string reads as once an HTML or XML text node is decoded. */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
    const lower = entity.toLowerCase()
    if (named[lower]) return named[lower]
    return String.fromCodePoint(
      lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10),
    )
  })
}

/** A story body as the editor saves it: one paragraph of `value`, one link per hostile href. */
export function hostileBody({ value, hrefs }: { value: string; hrefs: string[] }) {
  return savedState(
    root(
      paragraph(text(value)),
      ...hrefs.map((href, index) =>
        paragraph(
          link({
            url: href,
            id: `65f0a0a0a0a0a0a0a0a0a0${String(index).padStart(2, '0')}`,
            children: [text(`链接${index}`)],
          }),
        ),
      ),
    ),
  )
}

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

const isElement = (node: Node): node is Element => 'tagName' in node
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset'])
const ACTIVE_ELEMENTS = new Set(['iframe', 'frame', 'object', 'embed', 'svg', 'math', 'base', 'form', 'meta'])

/**
 * Everything in parsed HTML that a browser or feed reader would run or load as active
 * content: script elements (except the page's own, named in `ownScripts`), event-handler
 * attributes, script-bearing URLs, CSS expressions and frames. Parsed as a browser would
 * (parse5), so text that merely looks like markup is not counted.
 */
export function activeContent(
  html: string,
  { isDocument = false, ownScripts = (_: Element): boolean => false } = {},
): string[] {
  const found: string[] = []
  const visit = (node: Node) => {
    if (isElement(node)) {
      const describe = `<${node.tagName} ${node.attrs.map((a) => `${a.name}="${a.value}"`).join(' ')}>`
      if (node.tagName === 'script' && !ownScripts(node)) found.push(describe)
      if (!isDocument && ACTIVE_ELEMENTS.has(node.tagName)) found.push(describe)
      if (isDocument && ['iframe', 'frame', 'object', 'embed'].includes(node.tagName)) found.push(describe)
      for (const attribute of node.attrs) {
        // Browsers ignore whitespace and control characters inside a URL's scheme.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: those characters are what is removed
        const value = attribute.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase()
        if (attribute.name.startsWith('on')) found.push(describe)
        else if (URL_ATTRIBUTES.has(attribute.name) && /^(javascript|vbscript|data:text)/.test(value))
          found.push(describe)
        else if (attribute.name === 'style' && value.includes('expression(')) found.push(describe)
      }
    }
    const children = 'childNodes' in node ? node.childNodes : []
    for (const child of children) visit(child)
    if (isElement(node) && 'content' in node) visit(node.content as unknown as Node)
  }
  visit((isDocument ? parse(html) : parseFragment(html)) as unknown as Node)
  return found
}

/** A built page's own scripts: its modules from /_astro, and its JSON-LD. */
export const sitePageScripts = (element: Element) =>
  element.attrs.some(
    (a) =>
      (a.name === 'type' && a.value === 'application/ld+json') ||
      (a.name === 'src' && /^\/_astro\//.test(a.value)),
  ) || element.attrs.some((a) => a.name === 'type' && a.value === 'module')
