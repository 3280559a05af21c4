import path from 'node:path'
import { wechatLimits } from '../cms/channels/wechat/limits.ts'
import { projectRoot } from '../cms/paths.ts'
import { describeWechatError, WechatApiError } from '../cms/publishing/wechat/errors.ts'
import { exportWechatArticle } from '../cms/publishing/wechat/exportWechat.ts'
import { pushWechatDraft } from '../cms/publishing/wechat/pushDraft.ts'
import { requireWechatSettings } from '../cms/publishing/wechat/wechatSettings.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run export:wechat -- --story <id|slug> [--out <folder>] [--push]`: the WeChat article of
 * one story as a folder (default `dist/wechat`), and with `--push` also saved as a draft of the
 * official account (HONGYAN_WECHAT_APPID, HONGYAN_WECHAT_SECRET). A story over a WeChat limit,
 * not cleared or without an image is refused; every refusal is one line and exit code 1.
 */
runCli(async () => {
  const args = process.argv.slice(2)
  const flagValue = (flag: string) => {
    const at = args.indexOf(flag)
    return at >= 0 ? args[at + 1] : undefined
  }
  const story = flagValue('--story')
  if (!story || story.startsWith('--')) throw new Error('say which story: --story <id or slug>')
  const outDir = path.resolve(projectRoot, flagValue('--out') ?? 'dist/wechat')
  const isPush = args.includes('--push')
  // Refused before the database starts: a push needs the account.
  const settings = isPush ? requireWechatSettings() : undefined
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    try {
      const result = await exportWechatArticle({ payload, story, outDir })
      const { counts } = result.meta
      console.log(`  ${result.meta.title}（作者 ${result.meta.author ?? '—'}）`)
      console.log(
        `  正文 ${counts.characters} 字符 / ${counts.bytes} 字节（公众号：少于 ${wechatLimits.contentCharacters} 字符、1 MB），` +
          `汉字 ${counts.articleHanzi}（网页正文 ${counts.hanzi}），图片 ${result.meta.images.length} 张，注释 ${counts.notes} 条`,
      )
      console.log(
        `wechat article: ${result.files.length} files → ${path.relative(process.cwd(), result.dir) || result.dir}`,
      )
      if (settings) {
        const pushed = await pushWechatDraft({ payload, story: result.meta.story.id, settings }).catch(
          (err: unknown) => {
            // The editor's line, not the client's (which names the endpoint and errcode).
            throw err instanceof WechatApiError ? new Error(describeWechatError(err)) : err
          },
        )
        const verb = pushed.action === 'update' ? 'updated' : 'added'
        console.log(
          `wechat draft ${verb}: media_id ${pushed.mediaId} (version ${pushed.storyVersion}; ` +
            `${pushed.uploaded.body} body images and ${pushed.uploaded.cover} cover uploaded)`,
        )
      }
    } finally {
      await closePayload(payload)
    }
  } finally {
    await database.stop()
  }
})
