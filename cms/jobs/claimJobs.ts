import type { Payload } from 'payload'
import { poolOf } from '../db/pool.ts'
import { CLAIM_LEASE_MS } from './storySchedule.ts'

/**
 * How long a claimed job stays its runner's without a sign of life. A runner renews the lease
 * of the jobs it runs every third of it (see `renewLeases`), so only a runner that died (or lost
 * the database for that long) lets a job go back to the queue.
 */
export const JOB_LEASE_MS = CLAIM_LEASE_MS

/**
 * Queues whose jobs run one at a time across every runner: `site` rebuilds the one public site,
 * and two builds of it at once would race to swap it live. A queue here is the resource its
 * jobs work on; other queues' jobs run side by side.
 */
const ONE_AT_A_TIME_QUEUES = new Set(['site'])

/**
 * Takes up to `limit` due jobs of `queue` for this runner, the standard Postgres way: one
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, so that any number of runners
 * on the database each take different jobs and no job is taken twice. (Payload's own
 * `jobs.run` reads due jobs, then marks them one by one, which two runners can both win.)
 *
 * Due: not finished, not failed for good, its `waitUntil` passed, and either free or left
 * `processing` by a runner whose lease ran out (`updated_at` older than `leaseMs`: a runner
 * renews it while it works). Jobs are taken oldest first, as Payload orders them. A taken job
 * is marked `processing`, which is what Payload's `jobs.runByID` then runs.
 */
export async function claimJobs({
  payload,
  queue,
  limit,
  now = new Date(),
  leaseMs = JOB_LEASE_MS,
}: {
  payload: Payload
  queue: string
  limit: number
  now?: Date
  leaseMs?: number
}): Promise<{ ids: number[]; reclaimed: number }> {
  const isOneAtATime = ONE_AT_A_TIME_QUEUES.has(queue)
  const cutoff = new Date(now.getTime() - leaseMs)
  const claim = `
    with picked as (
      select id, processing as was_processing from payload_jobs
       where queue = $1
         and completed_at is null
         and has_error is not true
         and (wait_until is null or wait_until < $2)
         and (processing is not true or updated_at < $3)
         ${
           isOneAtATime
             ? `and not exists (select 1 from payload_jobs running
                                 where running.queue = $1 and running.processing
                                   and running.completed_at is null and running.updated_at >= $3)`
             : ''
         }
       order by created_at, id
       limit $4
       for update skip locked
    )
    update payload_jobs jobs set processing = true, updated_at = $2
      from picked where jobs.id = picked.id
    returning jobs.id, picked.was_processing`
  const values = [queue, now, cutoff, isOneAtATime ? 1 : limit]
  type Claimed = { id: number; was_processing: boolean | null }
  let rows: Claimed[]
  if (!isOneAtATime) rows = (await poolOf(payload).query<Claimed>(claim, values)).rows
  else {
    // "None of this queue is running" holds only if two runners cannot both see it at once:
    // their claims take turns on a lock named for the queue, held until the claim commits
    // (milliseconds, not the job's run).
    const client = await poolOf(payload).connect()
    try {
      await client.query('begin')
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`hongyan-job-claim:${queue}`])
      rows = (await client.query<Claimed>(claim, values)).rows
      await client.query('commit')
    } catch (err) {
      // The connection is dropped rather than given back mid-transaction: Postgres then rolls
      // the claim back, and the lock goes with the session.
      client.release(err as Error)
      throw err
    }
    client.release()
  }
  const reclaimed = rows.filter((row) => row.was_processing).length
  if (reclaimed > 0)
    payload.logger.warn({ msg: `reclaimed ${reclaimed} job(s) left processing by a stopped runner` })
  return { ids: rows.map((row) => row.id), reclaimed }
}

/**
 * Renews the lease of the jobs this runner is running (those still `processing`: a job Payload
 * has finished or set aside for a retry is left alone). Returns how many were renewed.
 */
export async function renewLeases({
  payload,
  ids,
  now = new Date(),
}: {
  payload: Payload
  ids: number[]
  now?: Date
}): Promise<number> {
  if (ids.length === 0) return 0
  const { rowCount } = await poolOf(payload).query(
    `update payload_jobs set updated_at = $2
      where id = any($1::int[]) and processing and completed_at is null`,
    [ids, now],
  )
  return rowCount ?? 0
}
