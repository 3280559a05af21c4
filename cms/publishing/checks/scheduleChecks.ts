import { newsroomTime } from './format.ts'
import type { CheckedStory, StoryCheck, StorySchedule } from './types.ts'

/**
 * The embargo and the schedules agree: a scheduled publication before the embargo ends
 * (block: the time the editor chose cannot be kept, one of the two is wrong), a scheduled
 * take-down at or before the scheduled publication (block). Publishing now under an embargo
 * is how partners get a story early, so it only warns: readers see nothing until it ends.
 */
export function checkSchedule({
  story,
  now,
  schedules,
}: {
  story: CheckedStory
  now: Date
  schedules: readonly StorySchedule[]
}): StoryCheck[] {
  const checks: StoryCheck[] = []
  const embargo = story.embargoUntil ? new Date(story.embargoUntil) : undefined
  const publications = schedules.filter((schedule) => schedule.action === 'publish')
  const takeDowns = schedules.filter((schedule) => schedule.action === 'unpublish')
  for (const publication of publications) {
    if (embargo && new Date(publication.at) < embargo) {
      const at = newsroomTime(publication.at)
      const ends = newsroomTime(embargo.toISOString())
      checks.push({
        code: 'schedule_before_embargo',
        severity: 'block',
        field: 'embargoUntil',
        message: {
          zh: `定时发布时间 ${at} 早于禁发时间 ${ends}：请推迟定时发布，或改禁发时间`,
          en: `Scheduled to publish at ${at}, before the embargo ends at ${ends}: move one of them`,
        },
      })
    }
    for (const takeDown of takeDowns) {
      if (new Date(takeDown.at) > new Date(publication.at)) continue
      checks.push({
        code: 'unpublish_before_publish',
        severity: 'block',
        field: 'stage',
        message: {
          zh: `定时撤下时间 ${newsroomTime(takeDown.at)} 不晚于定时发布时间 ${newsroomTime(publication.at)}：请取消或改期其中一个`,
          en: `Scheduled to be taken down at ${newsroomTime(takeDown.at)}, not after it is scheduled to publish at ${newsroomTime(publication.at)}`,
        },
      })
    }
  }
  if (embargo && embargo > now && publications.length === 0) {
    const ends = newsroomTime(embargo.toISOString())
    checks.push({
      code: 'embargo_after_publication',
      severity: 'warn',
      field: 'embargoUntil',
      message: {
        zh: `禁发至 ${ends}：发布后读者在此之前看不到这篇稿件，合作媒体会提前收到并标明禁发`,
        en: `Embargoed until ${ends}: once published, readers see nothing of it before then; partners get it early, marked embargoed`,
      },
    })
  }
  return checks
}
