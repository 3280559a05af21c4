import { deskRoles, type Role, roles } from './roles.ts'

/** A story's life: draft → in_review → approved → scheduled → published → corrected | withdrawn. */
export const stages = [
  'draft',
  'in_review',
  'approved',
  'scheduled',
  'published',
  'corrected',
  'withdrawn',
] as const
export type Stage = (typeof stages)[number]

export const stageLabels: Record<Stage, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  in_review: { zh: '待审', en: 'In review' },
  approved: { zh: '已审定', en: 'Approved' },
  scheduled: { zh: '定时发布', en: 'Scheduled' },
  published: { zh: '已发布', en: 'Published' },
  corrected: { zh: '已更正', en: 'Corrected' },
  withdrawn: { zh: '已撤稿', en: 'Withdrawn' },
}

/** Set (server-side only) by the schedule API on the saves that enter or leave `scheduled`. */
export const SCHEDULE_API_CONTEXT_KEY = 'viaScheduleApi'

/** Stages in which the public (and partners) may see a story, embargo permitting. */
export const liveStages: readonly Stage[] = ['published', 'corrected']

const desk = deskRoles
const everyone: readonly Role[] = roles

/**
 * Every legal move and who may make it. Reporters move only their own stories (access
 * control limits what they can update at all); anything not listed is refused.
 */
export const transitions: readonly { from: Stage; to: Stage; roles: readonly Role[] }[] = [
  { from: 'draft', to: 'in_review', roles: everyone },
  { from: 'in_review', to: 'draft', roles: everyone },
  { from: 'in_review', to: 'approved', roles: desk },
  { from: 'approved', to: 'draft', roles: desk },
  { from: 'approved', to: 'scheduled', roles: desk },
  { from: 'approved', to: 'published', roles: desk },
  { from: 'scheduled', to: 'approved', roles: desk },
  { from: 'scheduled', to: 'published', roles: desk },
  { from: 'published', to: 'corrected', roles: desk },
  { from: 'corrected', to: 'corrected', roles: desk },
  { from: 'published', to: 'withdrawn', roles: desk },
  { from: 'corrected', to: 'withdrawn', roles: desk },
  { from: 'withdrawn', to: 'draft', roles: desk },
]

/** Why `role` may not move a story from `from` to `to`, in words an editor understands; undefined when allowed. */
export function refuseTransition({
  from,
  to,
  role,
}: {
  from: Stage
  to: Stage
  role: Role | undefined
}): string | undefined {
  if (from === to && to !== 'corrected') return undefined
  const move = transitions.find((candidate) => candidate.from === from && candidate.to === to)
  const fromLabel = stageLabels[from].zh
  const toLabel = stageLabels[to].zh
  if (!move)
    return `稿件不能从“${fromLabel}”直接改为“${toLabel}”（A story cannot move from ${from} to ${to}）`
  if (!role || !move.roles.includes(role)) {
    return `您的角色无权把稿件从“${fromLabel}”改为“${toLabel}”（Your role may not move a story from ${from} to ${to}）`
  }
  return undefined
}
