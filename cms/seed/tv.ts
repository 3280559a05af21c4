import type { Payload, RequestContext } from 'payload'
import { collectionSlugs } from '../slugs.ts'

/** The demo episode's segments, by demo story key, with the TV desk's notes per paragraph. */
const demoSegments = [
  {
    key: 'chen-haisheng-zero-defect-welds',
    tvTitle: '焊缝里的“免检”功夫',
    lead: '一条焊缝藏在船体里，要扛几十年的风浪。今天的《劳动者》，我们走进江州船舶重工的船坞，认识全国五一劳动奖章获得者、电焊高级技师陈海生。',
    shots: [
      { paragraph: 1, visual: '清晨船坞全景；3号船坞分段内，陈海生半跪仰焊，弧光特写' },
      { paragraph: 2, visual: '陈海生摘下焊帽说话（同期）；焊缝鱼鳞纹特写', voice: 'sync' as const },
      { paragraph: 5, visual: 'LNG 运输船资料画面；殷瓦钢薄板焊接试验记录' },
      { paragraph: 6, visual: '陈海生在船坞内接受采访（同期）' },
      { paragraph: 8, visual: '劳模创新工作室挂牌；专利证书；徒弟们练习平角焊' },
    ],
  },
  {
    key: 'ma-jianjun-live-line-work',
    tvTitle: null,
    lead: null,
    shots: [{ paragraph: 1, visual: '带电作业斗臂车升起；马建军高空作业远景' }],
  },
]

/**
 * The city station's weekly programme 劳动者 and one planned episode (the next Saturday,
 * Beijing time) filled from demo stories. Nothing is created twice.
 */
export async function seedTv({
  payload,
  storyIds,
  now,
  context,
}: {
  payload: Payload
  storyIds: Map<string, number>
  now: Date
  context: RequestContext
}): Promise<{ tvProgrammes: number; tvEpisodes: number }> {
  const created = { tvProgrammes: 0, tvEpisodes: 0 }
  const existing = await payload.find({
    collection: collectionSlugs.tvProgrammes,
    where: { slug: { equals: 'laodongzhe' } },
    limit: 1,
    overrideAccess: true,
  })
  const programme =
    existing.docs[0] ??
    (await payload.create({
      collection: collectionSlugs.tvProgrammes,
      data: {
        name: '劳动者',
        slug: 'laodongzhe',
        station: '江州电视台新闻综合频道',
        weeklySlot: { weekday: '6', time: '19:30' },
        segmentBudgetSeconds: 300,
        pace: 240,
        subtitleLineLength: 16,
      },
      overrideAccess: true,
      context,
    }))
  if (!existing.docs[0]) created.tvProgrammes += 1
  const episodes = await payload.count({
    collection: collectionSlugs.tvEpisodes,
    where: { programme: { equals: programme.id } },
    overrideAccess: true,
  })
  if (episodes.totalDocs === 0) {
    const airDate = nextSaturdayInBeijing(now)
    const day = new Date(airDate.getTime() + 8 * 3_600_000)
    const segments = demoSegments.flatMap(({ key, ...segment }) => {
      const story = storyIds.get(key)
      return story === undefined ? [] : [{ story, ...segment }]
    })
    await payload.create({
      collection: collectionSlugs.tvEpisodes,
      data: {
        title: `劳动者 ${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`,
        programme: programme.id,
        airDate: airDate.toISOString(),
        segments,
      },
      overrideAccess: true,
      context: { ...context, skipFit: true },
    })
    created.tvEpisodes += 1
  }
  return created
}

/** Midnight in Beijing at the start of the first Saturday after `now`'s day there. */
function nextSaturdayInBeijing(now: Date): Date {
  const beijing = new Date(now.getTime() + 8 * 3_600_000)
  const daysAhead = (6 - beijing.getUTCDay() + 7) % 7 || 7
  return new Date(
    Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate() + daysAhead) -
      8 * 3_600_000,
  )
}
