import { escapeHtml } from '../../channels/html.ts'
import type { Run } from '../../channels/lexical/toBlocks.ts'
import { describeFit } from '../print/columnFit.ts'
import { chineseDate, outletPage } from './outletPage.ts'
import type { PrintPreview } from './printPreview.ts'

/**
 * The 报纸 tab: where the story goes (the planned slot, or a column to fit it to), its 正文
 * against that slot's budget, the other counts, and every paragraph with the paragraph style
 * the column's layout applies to it (bold, italic and links with their character styles), as
 * the ICML the print desk receives sets it.
 */
export function buildPrintProofPage({ preview }: { preview: PrintPreview }): string {
  const { story, styles, placement, budget, columns } = preview
  const { counts } = story
  const where = placement
    ? `${escapeHtml(placement.column.name)}（${escapeHtml(placement.column.newspaper)}）`
    : '未设专栏'
  const planned = placement?.issue
    ? `<p class="meta" data-print-slot>已排入 ${escapeHtml(placement.issue.title)}（见报 ${chineseDate(placement.issue.issueDate)}）第 ${placement.issue.position} 版位</p>`
    : columns.length
      ? `<form method="get" class="meta">未排入专栏期次，按专栏版位核算：<select name="column" onchange="this.form.submit()">${columns
          .map(
            (column) =>
              `<option value="${column.id}"${column.id === placement?.column.id ? ' selected' : ''}>${escapeHtml(column.name)}</option>`,
          )
          .join('')}</select> <button type="submit">核算</button></form>`
      : '<p class="meta">还没有报纸专栏：只显示字数</p>'
  const fit = budget
    ? `<p class="fit${counts.running > budget ? ' over' : ''}" data-print-fit>${escapeHtml(describeFit({ running: counts.running, budget }))}</p>`
    : `<p class="fit" data-print-fit>正文 ${counts.running} 字（无预算）</p>`
  const head = [
    story.kicker ? { style: styles.kicker, runs: [plain(story.kicker)] } : null,
    { style: styles.title, runs: [plain(story.title)] },
    story.subtitle ? { style: styles.subtitle, runs: [plain(story.subtitle)] } : null,
    story.plate.byline ? { style: styles.byline, runs: [plain(story.plate.byline)] } : null,
    story.plate.summary ? { style: styles.summary, runs: [plain(story.plate.summary)] } : null,
  ]
  const body = story.blocks.map((block) => {
    if (block.kind === 'image')
      return block.caption ? { style: styles.caption, runs: [plain(block.caption)] } : null
    return { style: block.kind === 'subhead' ? styles.subhead : styles.body, runs: block.runs }
  })
  const paragraphs = [...head, ...body]
    .filter((paragraph) => paragraph !== null)
    .map(
      ({ style, runs }) =>
        `<li><span class="style">${escapeHtml(style)}</span><span>${runs.map((run) => runHtml({ run, styles })).join('')}</span></li>`,
    )
    .join('\n')
  return outletPage({
    title: `${story.title}（报纸预览）`,
    body: `<h1>报纸 · ${where}</h1>
${planned}
${fit}
<p class="meta">标题 ${counts.headlines.total} 字 · 小标题 ${counts.subheads.total} 字 · 图说 ${counts.captions.total} 字 · 图片 ${story.figures.length} 幅</p>
<ol class="styled">
${paragraphs}
</ol>`,
  })
}

const plain = (text: string): Run => ({ text, isBold: false, isItalic: false, href: null })

function runHtml({ run, styles }: { run: Run; styles: PrintPreview['styles'] }): string {
  const text = escapeHtml(run.text).replaceAll('\n', '<br>')
  const style = run.href ? styles.link : run.isBold ? styles.bold : run.isItalic ? styles.italic : null
  if (!style) return text
  const tag = run.isBold ? 'b' : run.isItalic ? 'i' : 'span'
  return `<${tag} class="cs" title="${escapeHtml(style)}">${text}</${tag}>`
}
