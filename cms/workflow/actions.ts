import {
  nextLevel,
  type ReviewLevel,
  refuseSignature,
  type Signature,
  signActionLabel,
} from './reviewLevels.ts'
import type { Role } from './roles.ts'
import { refuseTransition, type Stage } from './stages.ts'

/**
 * What an action asks of the user before it is sent: nothing, a reason, a note, a note they may
 * leave empty (a reviewer's 审核意见), or a time.
 */
export type ActionInput = 'none' | 'reason' | 'note' | 'optionalNote' | 'time'

/** One button of the story's action bar: the move it makes and what it asks for. */
export type StoryAction = {
  key:
    | 'submit'
    | 'recall'
    | 'sendBack'
    | 'approve'
    | 'publish'
    | 'schedule'
    | 'unschedule'
    | 'correct'
    | 'withdraw'
    | 'reopen'
  label: { zh: string; en: string }
  from: readonly Stage[]
  to: Stage
  input: ActionInput
  /** Who sees it besides what the move table allows: the story's author, or anyone else. */
  who?: 'author' | 'notAuthor'
}

/**
 * Every action of the desk. Which of them a user gets on a story is decided by the same move
 * table the server enforces (`transitions` in stages.ts), so a button shown is a move allowed.
 */
export const storyActions: readonly StoryAction[] = [
  {
    key: 'submit',
    label: { zh: '提交审核', en: 'Submit for review' },
    from: ['draft'],
    to: 'in_review',
    input: 'none',
  },
  {
    key: 'recall',
    label: { zh: '撤回', en: 'Recall' },
    from: ['in_review', 'approved'],
    to: 'draft',
    input: 'none',
    who: 'author',
  },
  {
    key: 'sendBack',
    label: { zh: '退回修改', en: 'Send back' },
    from: ['in_review', 'approved'],
    to: 'draft',
    input: 'reason',
    who: 'notAuthor',
  },
  {
    key: 'approve',
    label: { zh: '审核通过', en: 'Approve' },
    from: ['in_review'],
    to: 'approved',
    input: 'optionalNote',
  },
  {
    key: 'publish',
    label: { zh: '发布', en: 'Publish' },
    from: ['approved', 'scheduled'],
    to: 'published',
    input: 'none',
  },
  {
    key: 'schedule',
    label: { zh: '定时发布', en: 'Schedule' },
    from: ['approved'],
    to: 'scheduled',
    input: 'time',
  },
  {
    key: 'unschedule',
    label: { zh: '取消定时', en: 'Unschedule' },
    from: ['scheduled'],
    to: 'approved',
    input: 'none',
  },
  {
    key: 'correct',
    label: { zh: '更正', en: 'Correct' },
    from: ['published', 'corrected'],
    to: 'corrected',
    input: 'note',
  },
  {
    key: 'withdraw',
    label: { zh: '撤稿', en: 'Withdraw' },
    from: ['published', 'corrected'],
    to: 'withdrawn',
    input: 'reason',
  },
  {
    key: 'reopen',
    label: { zh: '重新编辑', en: 'Edit again' },
    from: ['withdrawn'],
    to: 'draft',
    input: 'none',
  },
]

/** Where a story stands in its review: the section's level count, its signatures, its authors, the user. */
export type ReviewState = {
  levels: ReviewLevel
  signatures: readonly Signature[]
  /** See `authorIdsOf`. */
  authorIds: readonly string[]
  userId: number | string | undefined
}

/**
 * The actions `role` may take on a story in `stage`; `isAuthor` when the user wrote it. With the
 * story's `review`, 审核通过 becomes the next level's signature (初审通过, 复审通过, 签发), shown
 * only to a user who may sign that level, has not signed another and did not write the story.
 */
export function actionsFor({
  stage,
  role,
  isAuthor,
  review,
}: {
  stage: Stage
  role: Role | undefined
  isAuthor: boolean
  review?: ReviewState
}): StoryAction[] {
  // A reporter touches only their own stories; access control refuses the rest anyway.
  if (role === 'reporter' && !isAuthor) return []
  return storyActions.flatMap((action) => {
    if (!action.from.includes(stage)) return []
    if (action.who === 'author' && !isAuthor) return []
    if (action.who === 'notAuthor' && isAuthor) return []
    if (refuseTransition({ from: stage, to: action.to, role }) !== undefined) return []
    if (action.key !== 'approve' || !review) return [action]
    const level = nextLevel({ signatures: review.signatures, levels: review.levels })
    if (!level || refuseSignature({ ...review, role }) !== undefined) return []
    return [{ ...action, label: signActionLabel({ level, levels: review.levels }) }]
  })
}

/**
 * Whether a move sends someone else's story back to its author, which needs a reason the
 * author will read: a move to draft from review or approval, not made by the author.
 */
export function isSendBack({ from, to, isAuthor }: { from: Stage; to: Stage; isAuthor: boolean }): boolean {
  return to === 'draft' && (from === 'in_review' || from === 'approved') && !isAuthor
}
