import { type PayloadRequest, ValidationError } from 'payload'
import type { Story } from '../../../payload-types.ts'
import { collectionSlugs } from '../../../slugs.ts'
import { contentFingerprint, reviewedFields } from '../../../workflow/contentFingerprint.ts'
import {
  authorIdsOf,
  nextLevel,
  type ReviewLevel,
  refuseSignature,
  reviewLevelLabels,
  reviewLevelsOf,
  type Signature,
  standingSignatures,
} from '../../../workflow/reviewLevels.ts'
import type { Role } from '../../../workflow/roles.ts'
import type { Stage } from '../../../workflow/stages.ts'

/** What the review rules made of a save: the stage it ends in, the signatures to store, and why. */
export type ReviewStep = {
  to: Stage
  signatures: Signature[]
  /** The signature this save added, if any. */
  signed?: Signature
  /** How many standing signatures this save voided, and why. */
  voided?: { count: number; reason: string }
  /** The history's note when the rules moved the story themselves (an edit after approval). */
  note?: string
}

/**
 * 三审 on one save. A move from 待审 to 已审定 is a signature for the next level: the story
 * becomes 已审定 only when the section's last level signs. An edit of the reviewed text after a
 * signature voids the standing signatures (kept, marked void): nobody has signed the new text, so
 * the story waits for 初审 again, and an approved story goes back to 待审. A move back to a draft
 * voids them too. Signatures are never taken from the client.
 */
export async function reviewStep({
  req,
  data,
  latest,
  from,
  to,
  role,
  isSystem,
  isSendBack,
  now,
}: {
  req: PayloadRequest
  data: Partial<Story>
  latest: Partial<Story> | undefined
  from: Stage
  to: Stage
  role: Role | undefined
  isSystem: boolean
  isSendBack: boolean
  now: string
}): Promise<ReviewStep> {
  let signatures = ((latest?.signatures ?? []) as Signature[]).map((signature) => ({ ...signature }))
  const standing = standingSignatures(signatures)
  const merged = Object.fromEntries(
    reviewedFields.map((field) => [field, field in data ? data[field] : latest?.[field]]),
  )
  const fingerprint = contentFingerprint(merged)
  // A person's save that changes the reviewed text while signatures stand (the server's own
  // saves, the seed's and the jobs', are trusted as the schedule is).
  const isEditedAfterSigning =
    !isSystem &&
    (from === 'in_review' || from === 'approved' || from === 'scheduled') &&
    standing.length > 0 &&
    fingerprint !== contentFingerprint(latest ?? {})

  if (isEditedAfterSigning && from === 'scheduled') {
    fail(
      req,
      '定时发布中的稿件已签发，修改正文前请先取消定时（Unschedule a story before editing its text）',
      'body',
    )
  }
  let reason: string | undefined
  if (to === 'draft' && from !== 'draft' && standing.length) {
    reason = isSendBack ? '退回修改' : from === 'withdrawn' ? '重新编辑' : '撤回'
  } else if (isEditedAfterSigning) {
    const first = standing[0]
    reason = `${reviewLevelLabels[first?.level as ReviewLevel]?.zh ?? '审核'}签字后稿件被修改`
  }
  let next = to
  let note: string | undefined
  if (isEditedAfterSigning && from === 'approved') {
    if (to !== 'approved' && to !== 'draft') {
      fail(
        req,
        '签字后稿件被修改，须重新审核后才能发布（The text changed after signing: review it again first）',
      )
    }
    if (to === 'approved') {
      next = 'in_review'
      note = `${reason}，签字作废，退回初审`
    }
  }
  if (reason) {
    signatures = signatures.map((signature) =>
      signature.voidedAt ? signature : { ...signature, voidedAt: now, voidReason: reason },
    )
  }

  let signed: Signature | undefined
  if (from === 'in_review' && to === 'approved' && !isSystem) {
    const levels = await reviewLevelsOfStory({ req, data, latest })
    // Whoever was an author since the story was submitted, and any this save names: leaving
    // the byline before signing does not make a reviewer.
    const authorIds = [
      ...(await authorsSinceSubmission({ req, latest })),
      ...authorIdsOf({ byline: data.byline }),
    ]
    const refusal = refuseSignature({ signatures, levels, role, userId: req.user?.id, authorIds })
    if (refusal) fail(req, refusal)
    const level = nextLevel({ signatures, levels }) as ReviewLevel
    const stageNote = String((data as { stageNote?: unknown }).stageNote ?? '').trim()
    signed = {
      level,
      by: typeof req.user?.id === 'number' ? req.user.id : null,
      at: now,
      note: stageNote || null,
      fingerprint,
    }
    signatures = [...signatures, signed]
    next = level === levels ? 'approved' : 'in_review'
  }
  const count = reason ? standing.length : 0
  return { to: next, signatures, signed, voided: count && reason ? { count, reason } : undefined, note }
}

/**
 * The authors (see authorIdsOf) of the story as saved and of each saved version back to the
 * one it was submitted from: an author who left the byline while it waited is still one.
 */
async function authorsSinceSubmission({
  req,
  latest,
}: {
  req: PayloadRequest
  latest: Partial<Story> | undefined
}): Promise<string[]> {
  const ids = new Set(authorIdsOf(latest ?? {}))
  if (latest?.id === undefined) return [...ids]
  const { docs } = await req.payload.findVersions({
    collection: collectionSlugs.stories,
    where: { parent: { equals: latest.id } },
    sort: '-updatedAt',
    limit: SUBMISSION_VERSIONS_READ,
    depth: 0,
    // Who wrote each version and its stage, not its text.
    select: { version: { stage: true, createdBy: true, byline: { authors: true } } },
    req,
    overrideAccess: true,
  })
  for (const { version } of docs) {
    for (const id of authorIdsOf(version)) ids.add(id)
    if (version.stage !== 'in_review') break
  }
  return [...ids]
}

/** Versions read back for the authors (a story waits in review through a few saves at most). */
const SUBMISSION_VERSIONS_READ = 50

/** The number of review levels the story's section asks for (the default without a section). */
async function reviewLevelsOfStory({
  req,
  data,
  latest,
}: {
  req: PayloadRequest
  data: Partial<Story>
  latest: Partial<Story> | undefined
}): Promise<ReviewLevel> {
  const section = 'section' in data ? data.section : latest?.section
  const id = typeof section === 'object' && section !== null ? section.id : section
  if (id === undefined || id === null) return reviewLevelsOf(undefined)
  const found = await req.payload.findByID({
    collection: collectionSlugs.sections,
    id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    req,
  })
  return reviewLevelsOf(found)
}

function fail(req: PayloadRequest, message: string, path = 'stage'): never {
  throw new ValidationError({ collection: 'stories', errors: [{ message, path }] }, req.t)
}
