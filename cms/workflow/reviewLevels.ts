import type { Role } from './roles.ts'

/**
 * 三审: a section asks for one, two or three review levels (two unless it says otherwise).
 * Level n is signed by a role of at least that level's rank: 初审 by an editor, 复审 by a
 * desk head, 终审 (签发) by the chief editor. A higher rank may sign a lower level; the same
 * person never signs two levels of one story, and nobody reviews a story they wrote (see
 * `authorIdsOf`), but the chief editor signs off their own: nobody else may.
 */
export const REVIEW_LEVELS_DEFAULT = 2
export const REVIEW_LEVELS_MAX = 3
export type ReviewLevel = 1 | 2 | 3

export const reviewLevelLabels: Record<
  ReviewLevel,
  { zh: string; en: string; action: { zh: string; en: string } }
> = {
  1: { zh: '初审', en: 'First review', action: { zh: '初审通过', en: 'Pass first review' } },
  2: { zh: '复审', en: 'Second review', action: { zh: '复审通过', en: 'Pass second review' } },
  3: { zh: '终审', en: 'Final review', action: { zh: '签发', en: 'Sign off' } },
}

/** With a single level the one signature is plain 审核通过. */
export const singleLevelAction = { zh: '审核通过', en: 'Approve' } as const

/** Who may sign each level. Admins run the kitchen and may stand in for 初审 and 复审, never 签发. */
const signers: Record<ReviewLevel, readonly Role[]> = {
  1: ['editor', 'deskHead', 'chief', 'admin'],
  2: ['deskHead', 'chief', 'admin'],
  3: ['chief'],
}

export function maySignLevel({ role, level }: { role: Role | undefined; level: ReviewLevel }): boolean {
  return role !== undefined && signers[level].includes(role)
}

/** A section's level count, clamped to 1…3; the default when it has none. */
export function reviewLevelsOf(section: { reviewLevels?: number | null } | null | undefined): ReviewLevel {
  const levels = Math.round(Number(section?.reviewLevels ?? REVIEW_LEVELS_DEFAULT))
  if (!Number.isFinite(levels)) return REVIEW_LEVELS_DEFAULT
  return Math.min(REVIEW_LEVELS_MAX, Math.max(1, levels)) as ReviewLevel
}

/** One signature on a story: who signed which level, when, and what the text was then. */
export type Signature = {
  level: number
  by?: number | { id: number } | null
  at: string
  note?: string | null
  /** The content's fingerprint when signed (see `contentFingerprint`). */
  fingerprint?: string | null
  /** Set when a later edit or a send-back voided it; the signature itself is kept. */
  voidedAt?: string | null
  voidReason?: string | null
}

export function signerId(signature: Pick<Signature, 'by'>): number | undefined {
  const by = signature.by
  return typeof by === 'object' && by !== null ? by.id : (by ?? undefined)
}

/** The signatures still standing (not voided), in level order. */
export function standingSignatures(signatures: readonly Signature[] | null | undefined): Signature[] {
  return (signatures ?? []).filter((signature) => !signature.voidedAt).sort((a, b) => a.level - b.level)
}

/** The level waiting for a signature on an in-review story: one past the last standing one. */
export function nextLevel({
  signatures,
  levels,
}: {
  signatures: readonly Signature[] | null | undefined
  levels: ReviewLevel
}): ReviewLevel | undefined {
  const next = standingSignatures(signatures).length + 1
  return next <= levels ? (next as ReviewLevel) : undefined
}

/** The button's words for signing `level` of `levels`. */
export function signActionLabel({ level, levels }: { level: ReviewLevel; levels: ReviewLevel }): {
  zh: string
  en: string
} {
  return levels === 1 ? singleLevelAction : reviewLevelLabels[level].action
}

type IdOrDoc = number | string | { id: number | string } | null | undefined

/**
 * Who wrote a story, as review sees it: whoever created it in the kitchen and the staff named in
 * its byline. None of them may sign its 初审 or 复审: a second pair of eyes reads it first.
 */
export function authorIdsOf(story: {
  createdBy?: IdOrDoc
  byline?: { authors?: readonly IdOrDoc[] | null } | null
}): string[] {
  const idOf = (value: IdOrDoc) =>
    typeof value === 'object' && value !== null
      ? String(value.id)
      : value === null || value === undefined
        ? undefined
        : String(value)
  return [
    ...new Set([story.createdBy, ...(story.byline?.authors ?? [])].flatMap((value) => idOf(value) ?? [])),
  ]
}

/**
 * Why `userId` with `role` may not sign the next level, in words an editor understands;
 * undefined when they may. `authorIds` are the story's authors (see `authorIdsOf`).
 */
export function refuseSignature({
  signatures,
  levels,
  role,
  userId,
  authorIds,
}: {
  signatures: readonly Signature[] | null | undefined
  levels: ReviewLevel
  role: Role | undefined
  userId: number | string | undefined
  authorIds: readonly string[]
}): string | undefined {
  const level = nextLevel({ signatures, levels })
  if (!level) return '各级审核均已签字（Every review level has signed）'
  const label = reviewLevelLabels[level]
  if (!maySignLevel({ role, level })) {
    const who = level === 3 ? '总编辑' : level === 2 ? '部门主任或总编辑' : '编辑'
    return `${label.zh}须由${who}签字（${label.en} is signed by ${level === 3 ? 'the chief editor' : level === 2 ? 'a desk head or the chief editor' : 'an editor'}）`
  }
  const isSigned = standingSignatures(signatures).some(
    (signature) => String(signerId(signature)) === String(userId),
  )
  if (isSigned) {
    return `同一人不能签两级审核（The same person may not sign two review levels of one story）`
  }
  // 签发 is the chief editor's alone: their own story is signed off by them, after others' 初审.
  if (level !== 3 && userId !== undefined && authorIds.includes(String(userId))) {
    const what = levels === 1 ? { zh: '审核', en: 'review' } : { zh: label.zh, en: label.en.toLowerCase() }
    return `作者不能审核自己的稿件，须由他人${what.zh}（An author may not sign the ${what.en} of their own story）`
  }
  return undefined
}
