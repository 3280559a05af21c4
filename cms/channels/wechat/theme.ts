/**
 * Every inline style a WeChat article carries: WeChat drops `<style>` and classes, so each
 * element takes its style inline. Styles are kept short because WeChat counts markup in its
 * 20,000-character limit. The type, size, line height and colour are set once on the
 * article's section and inherited, not repeated on every paragraph.
 */
export interface WechatTheme {
  /** The article's outer section: the body type every block inherits. */
  article: string
  kicker: string
  subtitle: string
  byline: string
  /** 导语. */
  summary: string
  paragraph: string
  h2: string
  h3: string
  h4: string
  blockquote: string
  list: string
  listItem: string
  /** The section around an image and its caption. */
  figure: string
  image: string
  caption: string
  credit: string
  /** `[n]` after a link's words. */
  noteMark: string
  /** The 注释 block: its section, heading and each note. */
  notes: string
  notesHeading: string
  note: string
  endMark: string
  /** What the end mark reads. */
  endMarkText: string
}

const red = '#b5282e'

/** The house theme: 16px CJK body, first-line indent, union red for the accents. */
export const wechatTheme: WechatTheme = {
  article: 'font-size:16px;line-height:1.75;letter-spacing:0.5px;color:#333;text-align:justify',
  kicker: `margin:0 0 6px;font-size:14px;font-weight:bold;color:${red}`,
  subtitle: 'margin:0 0 8px;font-size:17px;color:#555',
  byline: 'margin:0 0 16px;font-size:14px;color:#888',
  summary: `margin:0 0 20px;padding:10px 12px;background:#f7f3f0;border-left:3px solid ${red};font-size:15px;color:#555`,
  paragraph: 'margin:0 0 1em;text-indent:2em',
  h2: `margin:1.5em 0 0.8em;font-size:18px;font-weight:bold;color:${red}`,
  h3: 'margin:1.3em 0 0.6em;font-size:17px;font-weight:bold',
  h4: 'margin:1.2em 0 0.5em;font-size:16px;font-weight:bold',
  blockquote: 'margin:0 0 1em;padding:4px 12px;border-left:3px solid #ccc;color:#666',
  list: 'margin:0 0 1em;padding-left:2em',
  listItem: 'margin:0 0 0.4em',
  figure: 'margin:0 0 1em',
  image: 'display:block;max-width:100%;height:auto;margin:0 auto',
  caption: 'margin:6px 0 0;font-size:13px;line-height:1.5;color:#888;text-align:center',
  credit: 'color:#aaa',
  noteMark: `font-size:12px;line-height:0;vertical-align:super;color:${red}`,
  notes:
    'margin:24px 0 0;padding-top:8px;border-top:1px solid #ddd;font-size:13px;line-height:1.6;color:#888',
  notesHeading: 'margin:0 0 4px;font-weight:bold',
  note: 'margin:0 0 4px;word-break:break-all',
  endMark: `margin:0 0 1em;text-align:right;color:${red}`,
  endMarkText: '■',
}
