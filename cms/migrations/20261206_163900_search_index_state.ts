import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Written by hand (no collection: Payload's snapshot does not hold it): when search's first
 * full index of the live stories last completed. One row at most; none means the index may
 * be partial (a process killed partway through it), and the next process that loads Payload
 * indexes the live stories the table is missing (indexSearchIfIncomplete).
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE "search_index_state" (
  	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
  	"completed_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE "search_index_state";`)
}
