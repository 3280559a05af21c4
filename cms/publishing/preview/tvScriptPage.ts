import { escapeHtml } from '../../channels/html.ts'
import { describeDuration, describeSegmentFit } from '../../channels/tv/script.ts'
import { chineseDate, outletPage } from './outletPage.ts'
import type { TvPreview } from './tvPreview.ts'

const voiceLabel = { narration: '解说', sync: '同期声' } as const

/**
 * The 电视 tab: the programme and where the story goes in it, the segment's duration against
 * its budget at the programme's pace, and the two-column script (画面 | 解说/同期声) the TV desk
 * would receive, each row with its 字数 and seconds.
 */
export function buildTvScriptPage({ preview }: { preview: TvPreview }): string {
  const { script, settings, placement, programmes } = preview
  const where = placement.episode
    ? `<p class="meta" data-tv-segment>已排入 ${escapeHtml(placement.episode.title)}（播出 ${chineseDate(placement.episode.airDate)}）第 ${placement.episode.position} 条</p>`
    : programmes.length
      ? `<form method="get" class="meta">未排入节目，按节目核算：<select name="programme" onchange="this.form.submit()">${programmes
          .map(
            (programme) =>
              `<option value="${programme.id}"${programme.id === placement.programme?.id ? ' selected' : ''}>${escapeHtml(programme.name)}</option>`,
          )
          .join('')}</select> <button type="submit">核算</button></form>`
      : `<p class="meta">还没有电视节目：按默认节目 ${escapeHtml(settings.name)} 的语速核算</p>`
  const fit = `<p class="fit${script.over > 0 ? ' over' : ''}" data-tv-fit>${escapeHtml(
    describeSegmentFit({ seconds: script.totalSeconds, budget: script.budgetSeconds }),
  )}</p>`
  const rows = [
    `<tr><td>口播</td><td>主持人出镜</td><td>${escapeHtml(script.lead.text)}</td><td class="num">${script.lead.characters}</td><td class="num">${script.lead.seconds}</td></tr>`,
    ...script.rows.map(
      (row) =>
        `<tr><td>${row.paragraph}</td><td>${escapeHtml(row.visual)}</td><td><span class="style">${voiceLabel[row.voice]}</span> ${escapeHtml(row.text)}</td><td class="num">${row.characters}</td><td class="num">${row.seconds}</td></tr>`,
    ),
  ].join('\n')
  return outletPage({
    title: `${script.title}（电视预览）`,
    body: `<h1>电视 · ${escapeHtml(settings.name)} · ${escapeHtml(script.title)}</h1>
${where}
${fit}
<p class="meta">语速 ${settings.pace} 字/分钟 · 共 ${script.rows.length} 段 · 时长 ${describeDuration(script.totalSeconds)}</p>
<table>
<thead><tr><th>段</th><th>画面</th><th>解说 / 同期声</th><th>字数</th><th>秒</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  })
}
