import { type BodyParts, bodyParts } from '../../channels/checks/bodyParts.ts'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import type { Media } from '../../payload-types.ts'
import { checkBody } from './bodyCheck.ts'
import { houseTermMatcher } from './houseTermList.ts'
import { checkImages, type ImageUse, imageUses, loadMedia } from './imageChecks.ts'
import { checkLinks } from './linkChecks.ts'
import { checkSchedule } from './scheduleChecks.ts'
import { type CopyPiece, checkTerms } from './termChecks.ts'
import { checkTitles } from './titleCheck.ts'
import { type CheckContext, fieldNames, type StoryCheck, type StorySchedule } from './types.ts'

/**
 * The pre-publication check (发稿检查) of a story as it would be saved: its body, images
 * (alt text, credit, portrait consent), links to our own stories, embargo and schedules,
 * titles against WeChat's limit and the house term list. Blocking findings first, each
 * with the field to fix it in. Reads Payload (media, linked stories, the term list) but
 * changes nothing.
 */
export async function checkStory({
  payload,
  story,
  now,
  req,
  schedules = [],
}: CheckContext & {
  /** The story's schedules: those pending and one being made. */
  schedules?: readonly StorySchedule[]
}): Promise<StoryCheck[]> {
  const parts = bodyParts({ root: (story.body?.root ?? null) as unknown as LexicalNode | null })
  const uses = imageUses({ hero: story.heroImage, parts })
  const [media, links, matcher] = await Promise.all([
    loadMedia({ payload, uses, req }),
    checkLinks({ payload, story, now, req, parts }),
    houseTermMatcher({ payload, req }),
  ])
  const checks = [
    ...checkBody({ parts }),
    ...checkTitles({ story }),
    ...checkImages({ uses, media, now }),
    ...links,
    ...checkSchedule({ story, now, schedules }),
    ...checkTerms({ matcher, copy: copyOf({ story, parts, uses, media }) }),
  ]
  return [...checks.filter(isBlocking), ...checks.filter((check) => !isBlocking(check))]
}

/** Whether a finding stops the story from being approved or going live. */
export const isBlocking = (check: StoryCheck): boolean => check.severity === 'block'

/** The story's copy the house terms are checked in, in reading order. */
function copyOf({
  story,
  parts,
  uses,
  media,
}: {
  story: CheckContext['story']
  parts: BodyParts
  uses: readonly ImageUse[]
  media: ReadonlyMap<number, Media>
}): CopyPiece[] {
  const field = (name: keyof typeof fieldNames, text: string | null | undefined): CopyPiece => ({
    field: name,
    name: fieldNames[name] ?? { zh: name, en: name },
    text: text ?? '',
  })
  const heroCaption = uses.find((use) => use.field === 'heroImage')
  const bodyCaptions = [
    ...parts.images.map((image) => image.caption ?? ''),
    ...uses.filter((use) => use.field === 'body').map((use) => media.get(use.id)?.caption ?? ''),
  ]
  return [
    field('kicker', story.kicker),
    field('title', story.title),
    field('subtitle', story.subtitle),
    field('summary', story.summary),
    {
      field: 'heroImage',
      name: { zh: '题图图说', en: 'hero image caption' },
      text: heroCaption ? (media.get(heroCaption.id)?.caption ?? '') : '',
    },
    field('body', parts.text),
    { field: 'body', name: { zh: '正文图说', en: 'body image captions' }, text: bodyCaptions.join('\n') },
    field('wechat.title', story.wechat?.title),
    field('wechat.digest', story.wechat?.digest),
  ].filter((piece) => piece.text.trim() !== '')
}
