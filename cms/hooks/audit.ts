import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'
import { collectionSlugs } from '../slugs.ts'
import type { Stage } from '../workflow/stages.ts'

/** What the audit log records: one action an entry. */
export const auditActions = [
  'created',
  'edited',
  'moved',
  'scheduled',
  'published',
  'corrected',
  'withdrawn',
  'deleted',
  'signed',
  'restored',
] as const
export type AuditAction = (typeof auditActions)[number]

export type StageMove = { from: Stage; to: Stage }

/**
 * The workflow hook notes a save's stage move here for the audit hook of the same save. The
 * notes are keyed by a token object kept on the request: a restore hands `beforeChange` a
 * proxy of the request (which reads and writes the token through to it), `afterChange` the request.
 */
const stageMoves = new WeakMap<object, Map<string, StageMove>>()

const SAVE_TOKEN = Symbol('hongyanSaveToken')

function saveOf(req: PayloadRequest): object {
  const holder = req as unknown as Record<symbol, object | undefined>
  holder[SAVE_TOKEN] ??= {}
  return holder[SAVE_TOKEN]
}

/** Keyed by request and document: a bulk update saves many documents on one request. */
export function noteStageMove({
  req,
  id,
  move,
}: {
  req: PayloadRequest
  id: unknown
  move: StageMove
}): void {
  const moves = stageMoves.get(saveOf(req)) ?? new Map<string, StageMove>()
  moves.set(String(id), move)
  stageMoves.set(saveOf(req), moves)
}

/** What the review rules did on a save: a signature added, signatures voided, a version restored. */
export type ReviewNote = {
  signed?: { level: number; note?: string | null }
  voided?: { count: number; reason: string }
  restoredVersion?: string
}

const reviewNotes = new WeakMap<object, Map<string, ReviewNote>>()

/** Records a signature, voided signatures or a restore in the save's audit entry. */
export function noteReview({ req, id, ...note }: { req: PayloadRequest; id: unknown } & ReviewNote): void {
  const notes = reviewNotes.get(saveOf(req)) ?? new Map<string, ReviewNote>()
  const prior = notes.get(String(id)) ?? {}
  notes.set(String(id), {
    ...prior,
    ...(note.signed ? { signed: { level: note.signed.level, note: note.signed.note ?? null } } : {}),
    ...(note.voided ? { voided: note.voided } : {}),
    ...(note.restoredVersion ? { restoredVersion: note.restoredVersion } : {}),
  })
  reviewNotes.set(saveOf(req), notes)
}

/** Blocking findings of the pre-publication check an editor let through, and why. */
export type ChecksOverride = {
  reason: string
  checks: { code: string; field: string; message: string }[]
}

/** Like the stage moves: the checks hook notes an override for the audit entry of the same save. */
const checksOverrides = new WeakMap<object, Map<string, ChecksOverride>>()

/** Records in the save's audit entry that its blocking checks were overridden, with the reason. */
export function noteChecksOverride({
  req,
  id,
  override,
}: {
  req: PayloadRequest
  id: unknown
  override: ChecksOverride
}): void {
  const overrides = checksOverrides.get(saveOf(req)) ?? new Map<string, ChecksOverride>()
  overrides.set(String(id), override)
  checksOverrides.set(saveOf(req), overrides)
}

const actionForStage: Partial<Record<Stage, AuditAction>> = {
  scheduled: 'scheduled',
  published: 'published',
  corrected: 'corrected',
  withdrawn: 'withdrawn',
}

/** Records every create, edit and stage move in the audit log, in the save's own transaction. */
export const auditChange: CollectionAfterChangeHook = async ({ doc, operation, req, collection }) => {
  const move = stageMoves.get(saveOf(req))?.get(String(doc.id))
  stageMoves.get(saveOf(req))?.delete(String(doc.id))
  const override = checksOverrides.get(saveOf(req))?.get(String(doc.id))
  checksOverrides.get(saveOf(req))?.delete(String(doc.id))
  const review = reviewNotes.get(saveOf(req))?.get(String(doc.id))
  reviewNotes.get(saveOf(req))?.delete(String(doc.id))
  const action: AuditAction =
    operation === 'create'
      ? 'created'
      : review?.restoredVersion
        ? 'restored'
        : review?.signed
          ? 'signed'
          : move
            ? (actionForStage[move.to] ?? 'moved')
            : 'edited'
  await writeAuditEntry({
    req,
    action,
    collection: collection.slug,
    docId: doc.id,
    versionId: collection.versions
      ? await latestVersionId({ req, collection: collection.slug as 'stories', id: doc.id })
      : undefined,
    detail: {
      title: doc.title ?? doc.name ?? doc.filename ?? doc.email,
      ...(move ? { from: move.from, to: move.to } : {}),
      ...(override ? { checksOverride: override } : {}),
      ...(review ?? {}),
    },
  })
  return doc
}

export const auditDelete: CollectionAfterDeleteHook = async ({ doc, req, collection }) => {
  await writeAuditEntry({
    req,
    action: 'deleted',
    collection: collection.slug,
    docId: doc.id,
    detail: { title: doc.title ?? doc.name ?? doc.filename ?? doc.email },
  })
  return doc
}

async function writeAuditEntry({
  req,
  action,
  collection,
  docId,
  versionId,
  detail,
}: {
  req: PayloadRequest
  action: AuditAction
  collection: string
  docId: number | string
  versionId?: string
  detail: Record<string, unknown>
}): Promise<void> {
  await req.payload.create({
    collection: collectionSlugs.auditLog,
    data: {
      action,
      collection,
      docId: String(docId),
      versionId,
      user: typeof req.user?.id === 'number' ? req.user.id : null,
      at: new Date().toISOString(),
      detail,
    },
    overrideAccess: true,
    req,
  })
}

async function latestVersionId({
  req,
  collection,
  id,
}: {
  req: PayloadRequest
  collection: 'stories'
  id: number | string
}): Promise<string | undefined> {
  const { docs } = await req.payload.findVersions({
    collection,
    where: { parent: { equals: id } },
    sort: '-updatedAt',
    limit: 1,
    depth: 0,
    overrideAccess: true,
    req,
  })
  return docs[0] ? String(docs[0].id) : undefined
}
