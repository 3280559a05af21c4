import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db }: MigrateUpArgs): Promise<void> {
  // Written by hand: the shared rate limits' windows (security/sharedRateLimit.ts) are no
  // collection, so Payload's snapshot does not hold this table. Unlogged: a count is worth no
  // WAL write, and after a crash of the server the windows start again.
  await db.execute(sql`
  CREATE UNLOGGED TABLE "rate_windows" (
  	"key" varchar PRIMARY KEY NOT NULL,
  	"window_ends_at" timestamp(3) with time zone NOT NULL,
  	"count" integer NOT NULL,
  	"granted" integer NOT NULL
  );`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE "rate_windows";`)
}
