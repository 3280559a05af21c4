import type { Payload, RequestContext } from 'payload'
import { defaultHouseStyles } from '../channels/print/houseStyles.ts'
import { collectionSlugs } from '../slugs.ts'

/** The demo issue's stories, in slot order, by demo story key. */
const demoSlots = [
  'chen-haisheng-zero-defect-welds',
  'zhao-lixin-micron-precision',
  'container-bookhouse-baisha-port',
]

/**
 * The column 劳动者之窗 in the city daily, and one planned issue (the first of next month,
 * Beijing time) filled from demo stories. Nothing is created twice.
 */
export async function seedColumn({
  payload,
  storyIds,
  now,
  context,
}: {
  payload: Payload
  storyIds: Map<string, number>
  now: Date
  context: RequestContext
}): Promise<{ columns: number; issues: number }> {
  const created = { columns: 0, issues: 0 }
  const existing = await payload.find({
    collection: collectionSlugs.columns,
    where: { slug: { equals: 'laodongzhe-zhichuang' } },
    limit: 1,
    overrideAccess: true,
  })
  const column =
    existing.docs[0] ??
    (await payload.create({
      collection: collectionSlugs.columns,
      data: {
        name: '劳动者之窗',
        slug: 'laodongzhe-zhichuang',
        newspaper: '江州日报',
        frequency: 'monthly',
        geometry: {
          charactersPerLine: 14,
          linesPerColumn: 110,
          columns: 2,
          imageWidthMm: 80,
          colourMode: 'grayscale',
        },
        styles: { ...defaultHouseStyles },
      },
      overrideAccess: true,
      context,
    }))
  if (!existing.docs[0]) created.columns += 1
  const beijing = new Date(now.getTime() + 8 * 3_600_000)
  const nextMonth = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, 1) - 8 * 3_600_000)
  const issueMonth = new Date(nextMonth.getTime() + 8 * 3_600_000)
  const issues = await payload.count({
    collection: collectionSlugs.columnIssues,
    where: { column: { equals: column.id } },
    overrideAccess: true,
  })
  if (issues.totalDocs === 0) {
    const slots = demoSlots.flatMap((key) => {
      const id = storyIds.get(key)
      return id === undefined ? [] : [{ story: id }]
    })
    await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: `劳动者之窗 ${issueMonth.getUTCFullYear()}年${issueMonth.getUTCMonth() + 1}月`,
        column: column.id,
        issueDate: nextMonth.toISOString(),
        slots: [{ ...slots[0], printTitle: '陈海生：焊缝里的“免检”功夫' }, ...slots.slice(1)] as never,
      },
      overrideAccess: true,
      context: { ...context, skipFit: true },
    })
    created.issues += 1
  }
  return created
}
