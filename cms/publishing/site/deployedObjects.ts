import type { Payload } from 'payload'
import { poolOf } from '../../db/pool.ts'

/**
 * What the site bucket holds, kept in Postgres (`site_deploy_objects`), not on a worker's disk:
 * any worker, on any host, with an empty dist folder, compares its build with it and uploads
 * only what differs. One row an object key: the sha256 of the bytes last uploaded under it,
 * or null once the object was deleted; `needs_purge` until the CDN was told of the change.
 * Rows are written as each object is uploaded or deleted, so a deploy cut short resumes where
 * it stopped. `target` names the bucket (endpoint, bucket and prefix).
 */
export type DeployedObject = { key: string; sha256: string | null; needsPurge: boolean }

export async function deployedObjects({
  payload,
  target,
}: {
  payload: Payload
  target: string
}): Promise<Map<string, DeployedObject>> {
  const { rows } = await poolOf(payload).query<DeployedObject>(
    'select key, sha256, needs_purge as "needsPurge" from site_deploy_objects where target = $1',
    [target],
  )
  return new Map(rows.map((row) => [row.key, row]))
}

/** Records objects uploaded (with their sha256) or deleted (null), each to be purged from the CDN. */
export async function recordDeployed({
  payload,
  target,
  objects,
}: {
  payload: Payload
  target: string
  objects: { key: string; sha256: string | null }[]
}): Promise<void> {
  if (objects.length === 0) return
  await poolOf(payload).query(
    `insert into site_deploy_objects (target, key, sha256, needs_purge)
     select $1, key, sha256, true from unnest($2::text[], $3::text[]) as given(key, sha256)
     on conflict (target, key) do update set sha256 = excluded.sha256, needs_purge = true`,
    [target, objects.map((object) => object.key), objects.map((object) => object.sha256)],
  )
}

/** The CDN was told of these keys: their rows are settled, and the deleted ones forgotten. */
export async function recordPurged({
  payload,
  target,
  keys,
}: {
  payload: Payload
  target: string
  keys: string[]
}): Promise<void> {
  if (keys.length === 0) return
  const pool = poolOf(payload)
  await pool.query('delete from site_deploy_objects where target = $1 and key = any($2) and sha256 is null', [
    target,
    keys,
  ])
  await pool.query('update site_deploy_objects set needs_purge = false where target = $1 and key = any($2)', [
    target,
    keys,
  ])
}
