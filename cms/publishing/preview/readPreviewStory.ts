import type { Payload } from 'payload'
import type { Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { PreviewError } from './previewError.ts'

/** Which saved version of the story a preview shows. */
export interface PreviewVersion {
  /** The version's id in Payload's versions, null when the story has none (saved before versions). */
  id: number | null
  /** When it was saved. */
  updatedAt: string
  status: 'draft' | 'published'
  /** It is the story's newest version: what the editor sees in the form. */
  isLatest: boolean
}

/** A story as one of its versions has it (depth 2: images, people, section populated). */
export interface PreviewSource {
  doc: Story
  version: PreviewVersion
}

/**
 * The story `storyId` as its preview shows it: the newest version (the latest draft,
 * autosaves included) unless `versionId` names an older one of the same story. Read with the
 * kitchen's own rights: whoever asks has been let in already (see access/preview.ts).
 * A story, or a version of it, that does not exist is a PreviewError (404).
 */
export async function readPreviewStory({
  payload,
  storyId,
  versionId,
}: {
  payload: Payload
  storyId: number
  /** A version id as the query string gives it; empty or absent: the newest. */
  versionId?: string | null
}): Promise<PreviewSource> {
  const newest = await newestVersion({ payload, storyId })
  if (versionId) {
    if (!/^\d{1,12}$/.test(versionId))
      throw new PreviewError({ zh: '版本号必须是数字', en: 'the version id must be a number', status: 400 })
    const found = await payload.findVersionByID({
      collection: collectionSlugs.stories,
      id: versionId,
      depth: 2,
      overrideAccess: true,
      disableErrors: true,
    })
    const parent = found ? idOf(found.parent as unknown) : null
    if (!found || parent !== storyId)
      throw new PreviewError({
        zh: `稿件 ${storyId} 没有版本 ${versionId}`,
        en: `story ${storyId} has no version ${versionId}`,
        status: 404,
      })
    const doc = { ...(found.version as Story), id: storyId }
    return {
      doc,
      version: {
        id: Number(found.id),
        updatedAt: found.updatedAt,
        status: doc._status === 'published' ? 'published' : 'draft',
        isLatest: newest?.id === Number(found.id),
      },
    }
  }
  const doc = await payload.findByID({
    collection: collectionSlugs.stories,
    id: storyId,
    draft: true,
    depth: 2,
    overrideAccess: true,
    disableErrors: true,
  })
  if (!doc)
    throw new PreviewError({ zh: `没有稿件 ${storyId}`, en: `there is no story ${storyId}`, status: 404 })
  return {
    doc,
    version: {
      id: newest?.id ?? null,
      updatedAt: doc.updatedAt,
      status: doc._status === 'published' ? 'published' : 'draft',
      isLatest: true,
    },
  }
}

/** One saved version, as the version picker lists it. */
export interface SavedVersion {
  id: number
  updatedAt: string
  status: 'draft' | 'published'
  isAutosave: boolean
  title: string
}

/** The story's saved versions, newest first (at most `limit`; the collection keeps 100). */
export async function listSavedVersions({
  payload,
  storyId,
  limit = 100,
}: {
  payload: Payload
  storyId: number
  limit?: number
}): Promise<SavedVersion[]> {
  const { docs } = await payload.findVersions({
    collection: collectionSlugs.stories,
    where: { parent: { equals: storyId } },
    sort: '-updatedAt',
    limit,
    depth: 0,
    overrideAccess: true,
    select: { updatedAt: true, autosave: true, version: { title: true, _status: true } },
  })
  return docs.map((found) => {
    const version = found.version as Partial<Story>
    return {
      id: Number(found.id),
      updatedAt: found.updatedAt,
      status: version._status === 'published' ? 'published' : 'draft',
      isAutosave: Boolean((found as { autosave?: boolean }).autosave),
      title: version.title ?? '',
    }
  })
}

async function newestVersion({ payload, storyId }: { payload: Payload; storyId: number }) {
  const [newest] = await listSavedVersions({ payload, storyId, limit: 1 })
  return newest ?? null
}

const idOf = (value: unknown): number | null =>
  typeof value === 'number' ? value : ((value as { id?: number } | null)?.id ?? null)
